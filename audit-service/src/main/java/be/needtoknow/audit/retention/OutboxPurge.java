package be.needtoknow.audit.retention;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import be.needtoknow.common.retention.OutboxRetention;
import be.needtoknow.common.retention.RetentionJob;
import io.quarkus.scheduler.Scheduled;

/**
 * A5 in audit-service: its outbox holds the audit records of the DPO's own requests (which pupil
 * was searched for, by pseudonym) until they are published to the trail; once delivered, a copy is
 * kept no longer than {@code ntk.retention.sent-outbox-event}, as in the other services. The audit
 * log itself is never purged.
 */
@ApplicationScoped
public class OutboxPurge {

    @Inject
    OutboxRetention outbox;

    @Scheduled(every = "${ntk.retention.purge-interval:1h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        RetentionJob.run("sent outbox event(s)", outbox.retention(),
                () -> outbox.purgeSentBefore(OffsetDateTime.now(ZoneOffset.UTC).minus(outbox.retention())));
    }
}
