package be.needtoknow.common.outbox;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

/**
 * The parked outbox events, table outbox_parked: an event the broker refuses for good is
 * moved there out of outbox_event by the relay, so that the events behind it are published. An
 * operator lists them (metadata only), retries one (moved back under its own position: the relay
 * publishes it next, after the events that were appended later and published while it was parked)
 * or discards one (deleted; its audit record says who discarded which event).
 */
@ApplicationScoped
public class ParkedEvents {

    /** What an alarm shows: how many are parked, the oldest position and when the first was parked. */
    public record Summary(long count, Long oldestPosition, OffsetDateTime firstParkedAt) {
        public static final Summary NONE = new Summary(0, null, null);
    }

    /** The resource type of the audit records about parked events; the resource id is the event id. */
    public static final String RESOURCE_TYPE = "outbox-event";
    /** The audit action of the relay parking an event. */
    public static final String PARKED = "outbox.parked";
    /** The audit actions of the operator's commands. */
    public static final String LIST = "outbox.parked.list";
    public static final String RETRY = "outbox.parked.retry";
    public static final String DISCARD = "outbox.parked.discard";

    private static final String COLUMNS = "position, event_id, topic, event_key, event_type, source, subject, occurred_at, payload, traceparent";

    @Inject
    EntityManager entityManager;

    /** Moves the event out of the publishing queue, with why and after how many attempts. */
    @Transactional(TxType.MANDATORY)
    void park(long position, OutboxFailures.Reason reason, int attempts) {
        entityManager.createNativeQuery("INSERT INTO outbox_parked (" + COLUMNS
                + ", reason_class, reason_message, attempts, parked_at) SELECT " + COLUMNS
                + ", ?1, ?2, ?3, now() FROM outbox_event WHERE position = ?4")
                .setParameter(1, reason.errorClass()).setParameter(2, reason.message()).setParameter(3, attempts)
                .setParameter(4, position).executeUpdate();
        entityManager.createNativeQuery("DELETE FROM outbox_event WHERE position = ?1").setParameter(1, position)
                .executeUpdate();
    }

    /** The parked events, oldest position first, without their payload. */
    @Transactional(TxType.MANDATORY)
    public List<ParkedEvent> list() {
        return ParkedEvent.list("order by position");
    }

    /**
     * Puts the event back into the publishing queue under its own position (before every unsent
     * event appended after it); empty when nothing is parked there (any more).
     */
    @Transactional(TxType.MANDATORY)
    public Optional<ParkedEvent> retry(long position) {
        Optional<ParkedEvent> parked = lock(position);
        parked.ifPresent(event -> {
            entityManager.createNativeQuery("INSERT INTO outbox_event (" + COLUMNS + ") OVERRIDING SYSTEM VALUE SELECT "
                    + COLUMNS + " FROM outbox_parked WHERE position = ?1").setParameter(1, position).executeUpdate();
            delete(event);
        });
        return parked;
    }

    /** Deletes the parked event for good; empty when nothing is parked there (any more). */
    @Transactional(TxType.MANDATORY)
    public Optional<ParkedEvent> discard(long position) {
        Optional<ParkedEvent> parked = lock(position);
        parked.ifPresent(this::delete);
        return parked;
    }

    @Transactional(TxType.MANDATORY)
    public Summary summary() {
        Object[] row = entityManager.createQuery(
                "select count(p), min(p.position), min(p.parkedAt) from ParkedEvent p", Object[].class).getSingleResult();
        long count = ((Number) row[0]).longValue();
        return count == 0 ? Summary.NONE : new Summary(count, (Long) row[1], (OffsetDateTime) row[2]);
    }

    /** The row, locked: of two operators acting on one event at once, the second finds it gone. */
    private Optional<ParkedEvent> lock(long position) {
        return ParkedEvent.find("position", position).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    private void delete(ParkedEvent event) {
        entityManager.createNativeQuery("DELETE FROM outbox_parked WHERE position = ?1").setParameter(1, event.position)
                .executeUpdate();
        entityManager.detach(event);
    }
}
