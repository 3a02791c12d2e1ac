package be.needtoknow.audit.ingest;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import org.eclipse.microprofile.faulttolerance.Retry;

import be.needtoknow.audit.tree.MerkleLog;
import be.needtoknow.audit.tree.Rfc9162;

/** The append-only log table (A2): one insert per record, ignored when the event id is known. */
@ApplicationScoped
public class AuditLog {

    /** A validated record, ready to append; its text in canonical form (RFC 8785), the tree's leaf. */
    public record Entry(UUID eventId, String source, OffsetDateTime occurredAt, String organisationId,
            String pupilPseudonym, String actorUsername, String actorRole, String action, String outcome, String text) {
    }

    @Inject
    EntityManager em;

    @Inject
    MerkleLog tree;

    /**
     * Appends, retrying while the database is unavailable: ingest pauses rather than losing or
     * skipping a record.
     *
     * @return true if stored, false if the event id was already in the log (a duplicate delivery)
     */
    @Retry(maxRetries = -1, delay = 500, maxDuration = 0, jitter = 200)
    @Transactional(TxType.REQUIRES_NEW)
    public boolean append(Entry entry) {
        String canonical = entry.text();
        long leafIndex = tree.nextLeafIndex();
        int inserted = em.createNativeQuery("""
                insert into audit_record (event_id, source, received_at, occurred_at, organisation_id, pupil_pseudonym,
                                          actor_username, actor_role, action, outcome, record, leaf_index)
                values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
                on conflict (event_id) do nothing
                """)
                .setParameter(1, entry.eventId())
                .setParameter(2, entry.source())
                .setParameter(3, OffsetDateTime.now(ZoneOffset.UTC))
                .setParameter(4, entry.occurredAt())
                .setParameter(5, entry.organisationId())
                .setParameter(6, entry.pupilPseudonym())
                .setParameter(7, entry.actorUsername())
                .setParameter(8, entry.actorRole())
                .setParameter(9, entry.action())
                .setParameter(10, entry.outcome())
                .setParameter(11, canonical)
                .setParameter(12, leafIndex)
                .executeUpdate();
        if (inserted == 1) {
            tree.appendNode(Rfc9162.leafHash(canonical.getBytes(StandardCharsets.UTF_8)));
        }
        return inserted == 1;
    }
}
