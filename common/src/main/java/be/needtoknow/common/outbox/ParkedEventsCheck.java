package be.needtoknow.common.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness detail of the parked outbox events, "Outbox parked events": the count, the
 * oldest parked position and when the first was parked. The check stays UP: the service still works
 * and publishes every other event, and taking it out of traffic would not bring the parked ones back,
 * only stop the schools' work and hide the alarm from the operator it is for (as audit-service's
 * AuditLogHealth does for an integrity alarm). Alert on the gauge {@code ntk_outbox_parked}.
 */
@Readiness
@ApplicationScoped
public class ParkedEventsCheck implements HealthCheck {

    @Inject
    ParkedEventsAlarm alarm;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder health = HealthCheckResponse.named("Outbox parked events").up();
        if (!alarm.known()) {
            return health.withData("parked", "not yet known").build();
        }
        ParkedEvents.Summary summary = alarm.last();
        health.withData("parked", summary.count());
        if (summary.count() > 0) {
            health.withData("oldestPosition", summary.oldestPosition())
                    .withData("firstParkedAt", summary.firstParkedAt().toString());
        }
        return health.build();
    }
}
