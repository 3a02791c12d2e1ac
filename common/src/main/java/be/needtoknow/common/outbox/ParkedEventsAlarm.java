package be.needtoknow.common.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;

/**
 * The alarm while any outbox event is parked (issue 16): the gauge {@code ntk.outbox.parked}
 * (Prometheus: {@code ntk_outbox_parked}) and a readiness detail, "Outbox parked events", with the
 * count, the oldest parked position and when the first was parked. The check stays UP: the service
 * still works and publishes every other event, and taking it out of traffic would not bring the
 * parked ones back, only stop the schools' work and hide the alarm from the operator it is for (as
 * audit-service's AuditLogHealth does). Alert on the gauge. The count is the relay's last look
 * ({@link #refresh()}, every sweep and after each operator action), not a query per scrape.
 */
@Startup
@Readiness
@ApplicationScoped
public class ParkedEventsAlarm implements HealthCheck {

    public static final String GAUGE = "ntk.outbox.parked";

    @Inject
    ParkedEvents parked;

    private volatile ParkedEvents.Summary last = ParkedEvents.Summary.NONE;
    private volatile boolean known;

    @Inject
    void register(MeterRegistry registry) {
        Gauge.builder(GAUGE, this, alarm -> alarm.last.count())
                .description("Outbox events the broker refused for good, parked until an operator retries or discards them")
                .register(registry);
    }

    /** Looks again (the relay's thread, or an operator's request after its transaction). */
    public void refresh() {
        last = QuarkusTransaction.requiringNew().call(parked::summary);
        known = true;
    }

    public ParkedEvents.Summary last() {
        return last;
    }

    @Override
    public HealthCheckResponse call() {
        ParkedEvents.Summary summary = last;
        HealthCheckResponseBuilder health = HealthCheckResponse.named("Outbox parked events").up();
        if (!known) {
            return health.withData("parked", "not yet known").build();
        }
        health.withData("parked", summary.count());
        if (summary.count() > 0) {
            health.withData("oldestPosition", summary.oldestPosition())
                    .withData("firstParkedAt", summary.firstParkedAt().toString());
        }
        return health.build();
    }
}
