package be.needtoknow.common.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;

/**
 * The alarm while any outbox event is parked: the gauge {@code ntk.outbox.parked}
 * (Prometheus: {@code ntk_outbox_parked}) and the readiness detail of {@link ParkedEventsCheck}.
 * Alert on the gauge. The count is the relay's last look ({@link #refresh()}, every sweep and after
 * each parking or operator action), not a query per scrape.
 */
@Startup
@ApplicationScoped
public class ParkedEventsAlarm {

    public static final String GAUGE = "ntk.outbox.parked";

    private static final Logger LOG = Logger.getLogger(ParkedEventsAlarm.class);

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

    /**
     * Looks again (the relay's thread, or an operator's request after its transaction); keeps the
     * last look when the database does not answer (the next sweep tries again).
     */
    public void refresh() {
        try {
            last = QuarkusTransaction.requiringNew().call(parked::summary);
            known = true;
        } catch (RuntimeException e) {
            LOG.debugf("Could not count the parked outbox events: %s", e.getMessage());
        }
    }

    public ParkedEvents.Summary last() {
        return last;
    }

    /** Whether the relay looked at least once (the database was there). */
    public boolean known() {
        return known;
    }
}
