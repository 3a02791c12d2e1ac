package be.needtoknow.common.outbox;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;

import org.hibernate.jpa.SpecHints;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * An event waiting to be published, stored in the same transaction as the change it announces.
 * {@code position} gives the publication order; {@code eventId} is the CloudEvents id on which
 * consumers deduplicate.
 */
@Entity
@Table(name = "outbox_event")
public class OutboxEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long position;

    @Column(name = "event_id", nullable = false, unique = true)
    public UUID eventId;

    @Column(nullable = false)
    public String topic;

    @Column(name = "event_key", nullable = false)
    public String key;

    @Column(name = "event_type", nullable = false)
    public String type;

    @Column(nullable = false)
    public String source;

    public String subject;

    @Column(name = "occurred_at", nullable = false)
    public OffsetDateTime occurredAt;

    @Column(nullable = false, columnDefinition = "text")
    public String payload;

    /** The W3C trace context of the request that appended it, or null; never payload or ids. */
    public String traceparent;

    @Column(name = "sent_at")
    public OffsetDateTime sentAt;

    /** The key of the relay lock: one fixed number, since each service has its own database. */
    static final long RELAY_LOCK = 0x6e746b4f7574626fL; // "ntkOutbo"

    /**
     * Takes the relay lock for the rest of the transaction, if no other relay (another instance of the
     * service on the same database) holds it; false if one does. Released at commit or rollback.
     */
    static boolean tryRelayLock() {
        return (Boolean) getEntityManager().createNativeQuery("SELECT pg_try_advisory_xact_lock(?1)")
                .setParameter(1, RELAY_LOCK).getSingleResult();
    }

    /** The oldest unsent events, locked for the batch (taken under the relay lock). */
    static List<OutboxEvent> lockNextBatch(int size) {
        return find("sentAt is null order by position")
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .withHint(SpecHints.HINT_SPEC_LOCK_TIMEOUT, -2) // -2: SKIP LOCKED
                .page(0, size)
                .list();
    }

    /** Marks these events sent, in one statement; returns how many. */
    static int markSent(List<Long> positions, OffsetDateTime sentAt) {
        return positions.isEmpty() ? 0 : update("sentAt = ?1 where position in ?2", sentAt, positions);
    }

    public static long countUnsent() {
        return count("sentAt is null");
    }
}
