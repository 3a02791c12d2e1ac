package be.needtoknow.audit.retention;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import be.needtoknow.common.outbox.OutboxRetention;
import io.quarkus.scheduler.Scheduled;

/**
 * A5 in audit-service: its outbox holds the audit records of the DPO's own requests (which pupil
 * was searched for, by pseudonym) until they are published to the trail; once delivered, a copy is
 * kept no longer than {@code ntk.retention.sent-outbox-event}, as in the other services. The audit
 * log itself is never purged.
 */
@ApplicationScoped
public class OutboxPurge {

    private static final Logger LOG = Logger.getLogger(OutboxPurge.class);

    @Inject
    OutboxRetention outbox;

    @Scheduled(every = "${ntk.retention.purge-interval:1h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            int purged = outbox.purgeSentBefore(OffsetDateTime.now(ZoneOffset.UTC).minus(outbox.retention()));
            if (purged > 0) {
                LOG.infof("Retention: purged %d sent outbox event(s) older than %s", purged, outbox.retention());
            }
        } catch (RuntimeException e) {
            LOG.warnf("Retention: could not purge sent outbox events (will try again): %s", e.getMessage());
        }
    }
}
