package be.needtoknow.audit.tree;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness detail: each raised alarm of the audit log (no content), under "Audit log integrity".
 * The check stays UP: a service taken out of traffic would hide the alarm from the DPO it is for,
 * and stop the DPO's queries and proofs. Alert on the metric {@code ntk_audit_alarms_raised}. (A log
 * that appends nothing after a row not added by ingest has its messaging check down anyway.)
 */
@ApplicationScoped
@Readiness
public class AuditLogHealth implements HealthCheck {

    @Inject
    AuditAlarms alarms;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder health = HealthCheckResponse.named("Audit log integrity").up()
                .withData("alarms", alarms.raised().size());
        for (AuditAlarms.Alarm alarm : alarms.raised()) {
            health.withData(alarm.kind() + " " + alarm.raisedAt(), alarm.detail());
        }
        return health.build();
    }
}
