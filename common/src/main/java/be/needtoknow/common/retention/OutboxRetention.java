package be.needtoknow.common.retention;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import be.needtoknow.common.audit.AuditTrail;

/**
 * A5: the outbox keeps an event's payload only until it is delivered. A sent event (its
 * {@code sent_at} set by the outbox relay) is a copy of what the broker now holds; it carries a
 * pupil's identity, note excerpts (a referral's items) or an audit record, and is of no further use
 * once delivered. Rows sent more than {@code ntk.retention.sent-outbox-event} ago are deleted, in
 * batches; an unsent event is never touched, whatever its age (it is still to be published).
 * <p>
 * Each batch purged leaves one audit record (action {@value #ACTION}) that names the purged events
 * by their outbox positions (first, last and how many), filed under the deployment's organisation
 * ({@code ntk.audit.unidentified-organisation}), since an outbox row names no organisation. Those
 * records travel through the outbox like any other and are purged in turn once sent; a batch that
 * would hold nothing but earlier purge records is left for the next batch with real content, so an
 * idle service does not purge and audit its own purge records for ever.
 * <p>
 * A retention job like the services' own, so it lives with {@link RetentionJob} rather than in the
 * outbox package: the outbox is the transport of audit records and does not audit itself. The
 * services call {@link #purgeSentBefore(OffsetDateTime)} from their retention jobs.
 */
@ApplicationScoped
public class OutboxRetention {

    public static final String ACTION = "outbox-event.purge";
    /** The audit record's resource type; an outbox row of such a record has a subject that starts with it. */
    public static final String RESOURCE_TYPE = "outbox-events";
    /** Rows per transaction: short transactions, a bounded audit record. */
    static final int BATCH = 1000;

    @Inject
    EntityManager em;

    @Inject
    AuditTrail audit;

    @Inject
    RetentionPeriods periods;

    @ConfigProperty(name = "ntk.audit.unidentified-organisation", defaultValue = "unknown")
    String deploymentOrganisation;

    public Duration retention() {
        return periods.sentOutboxEvent();
    }

    /** Purges, batch by batch, every event sent before the cut-off; returns how many rows went. */
    public int purgeSentBefore(OffsetDateTime cutOff) {
        int total = 0;
        while (true) {
            int purged = purgeBatch(cutOff);
            total += purged;
            if (purged < BATCH) {
                return total;
            }
        }
    }

    /** One batch, in its own transaction: the oldest sent rows before the cut-off, locked so that a second job skips them. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    int purgeBatch(OffsetDateTime cutOff) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT position, subject FROM outbox_event "
                + "WHERE sent_at IS NOT NULL AND sent_at < ?1 ORDER BY position LIMIT ?2 FOR UPDATE SKIP LOCKED")
                .setParameter(1, cutOff).setParameter(2, BATCH).getResultList();
        boolean anyContent = rows.stream()
                .anyMatch(r -> r[1] == null || !r[1].toString().startsWith(RESOURCE_TYPE + "/"));
        if (!anyContent) {
            return 0;
        }
        List<Long> positions = rows.stream().map(r -> ((Number) r[0]).longValue()).toList();
        long first = positions.get(0);
        long last = positions.get(positions.size() - 1);
        audit.granted(RetentionJob.caller(deploymentOrganisation), RetentionJob.purged(ACTION, deploymentOrganisation,
                null, RESOURCE_TYPE, first + "-" + last + ":" + positions.size()));
        // sent_at is checked again: a row is never deleted unsent (the relay only ever sets it).
        int deleted = em.createNativeQuery("DELETE FROM outbox_event WHERE position IN (?1) AND sent_at IS NOT NULL")
                .setParameter(1, positions).executeUpdate();
        return deleted;
    }
}
