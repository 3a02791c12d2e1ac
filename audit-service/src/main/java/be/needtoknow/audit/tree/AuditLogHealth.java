package be.needtoknow.audit.tree;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Readiness: down while an alarm of the audit log is raised, with each alarm as its data (no content). */
@ApplicationScoped
@Readiness
public class AuditLogHealth implements HealthCheck {

    @Inject
    AuditAlarms alarms;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder health = HealthCheckResponse.named("Audit log integrity");
        health.status(alarms.raised().isEmpty());
        for (AuditAlarms.Alarm alarm : alarms.raised()) {
            health.withData(alarm.kind() + " " + alarm.raisedAt(), alarm.detail());
        }
        return health.build();
    }
}
