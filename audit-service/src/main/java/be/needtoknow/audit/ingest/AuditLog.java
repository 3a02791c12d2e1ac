package be.needtoknow.audit.ingest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import be.needtoknow.audit.CopyText;
import be.needtoknow.audit.tree.MerkleLog;
import be.needtoknow.audit.tree.Rfc9162;
import be.needtoknow.common.database.DatabaseFailures;
import be.needtoknow.common.database.DatabaseStartup;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The append-only log table (A2): a batch of records in one transaction, each stored once (a known
 * event id is a duplicate delivery, counted by the caller, not stored), each new one a leaf of the
 * tree in the same transaction.
 */
@ApplicationScoped
public class AuditLog {

    private static final Logger LOG = Logger.getLogger(AuditLog.class);
    private static final long RETRY_DELAY_MILLIS = 500;

    /**
     * A validated record, ready to append; its text in canonical form (RFC 8785), the tree's leaf,
     * that leaf's hash (RFC 9162), and its row for COPY without the leaf index (which only the
     * writer knows): both made by ingest's first stage, off the writer's thread.
     */
    public record Entry(UUID eventId, String source, OffsetDateTime occurredAt, String organisationId,
            String pupilPseudonym, String actorUsername, String actorRole, String actorOrganisationId, String action,
            String outcome, String text, byte[] leafHash, byte[] row) {

        /** The entry of a record received at {@code receivedAt}, with its leaf hash and its row. */
        public static Entry of(UUID eventId, String source, Instant receivedAt, OffsetDateTime occurredAt,
                String organisationId, String pupilPseudonym, String actorUsername, String actorRole,
                String actorOrganisationId, String action, String outcome, String text) {
            byte[] row = new CopyText(text.length() + 300).value(eventId.toString()).value(source)
                    .value(CopyText.time(receivedAt)).value(CopyText.time(occurredAt)).value(organisationId)
                    .value(pupilPseudonym).value(actorUsername).value(actorRole).value(actorOrganisationId).value(action)
                    .value(outcome).value(text).bytes();
            return new Entry(eventId, source, occurredAt, organisationId, pupilPseudonym, actorUsername, actorRole,
                    actorOrganisationId, action, outcome, text, Rfc9162.leafHash(text.getBytes(StandardCharsets.UTF_8)),
                    row);
        }

        /** True if a text holds U+0000, which a database text cannot (the record itself escapes it). */
        boolean hasNul() {
            for (String s : new String[] { source, organisationId, pupilPseudonym, actorUsername, actorRole,
                    actorOrganisationId, action, outcome, text }) {
                if (s != null && s.indexOf(0) >= 0) {
                    return true;
                }
            }
            return false;
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MerkleLog tree;

    @Inject
    DatabaseStartup startup;

    /**
     * Appends, waiting while the database is unavailable (and until the tree is loaded at start):
     * ingest pauses rather than losing or skipping a record. Each attempt is a transaction of its
     * own: a retry within one transaction would keep its broken connection. Any other failure is
     * thrown (and stops ingest, health down).
     *
     * @return how many were stored (the others were already in the log)
     */
    public int append(List<Entry> entries) {
        boolean waiting = false;
        while (true) {
            try {
                if (startup.done()) {
                    int stored;
                    try {
                        stored = QuarkusTransaction.requiringNew().call(() -> store(entries, checkDuplicates > 0));
                        checkDuplicates = Math.max(0, checkDuplicates - 1);
                    } catch (RuntimeException e) {
                        if (checkDuplicates > 0 || !duplicateEventId(e)) {
                            throw e;
                        }
                        // A record already in the log: this batch, and the next few (redeliveries come
                        // in runs, after a failover or a relay's retry), with the look-up first.
                        checkDuplicates = DUPLICATE_CHECKS_AFTER_A_DUPLICATE;
                        stored = QuarkusTransaction.requiringNew().call(() -> store(entries, true));
                        checkDuplicates--;
                    }
                    if (waiting) {
                        LOG.info("Audit ingest goes on: the database is back");
                    }
                    return stored;
                }
            } catch (RuntimeException e) {
                if (!unavailable(e)) {
                    throw e;
                }
            }
            if (!waiting) {
                LOG.warn("Audit ingest waits for the database");
                waiting = true;
            }
            try {
                Thread.sleep(RETRY_DELAY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the database", e);
            }
        }
    }

    /**
     * The database was lost, also when it was lost at the commit: the transaction manager throws
     * then with the driver's failure as a suppressed exception, not as the cause. Trying again is
     * safe whether that commit was made or not: the next attempt's fence reads where the log ends
     * (and reloads the tree if it grew), and the records already stored count as duplicates.
     */
    static boolean unavailable(Throwable failure) {
        return unavailable(failure, 0);
    }

    private static boolean unavailable(Throwable failure, int depth) {
        if (failure == null || depth > 8) {
            return false;
        }
        if (DatabaseFailures.unavailable(failure)) {
            return true;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            for (Throwable suppressed : cause.getSuppressed()) {
                if (unavailable(suppressed, depth + 1)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** After a batch with a record already in the log, so many transactions look their ids up first. */
    private static final int DUPLICATE_CHECKS_AFTER_A_DUPLICATE = 20;

    /** How many more transactions look their ids up first (only the log's one writer thread appends). */
    private int checkDuplicates;

    /** True if the append failed on the unique event id: a record delivered again (the outbox publishes at least once). */
    static boolean duplicateEventId(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql && "23505".equals(sql.getSQLState()) && sql.getMessage() != null
                    && sql.getMessage().contains("audit_record_event_id_key")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Stores the batch's records that are not in the log yet, in the current transaction, after
     * the fence. Idempotency on the event id: a record delivered twice is stored once. Most
     * batches hold no record that is already in the log, so the look-up (an index probe per
     * record, about a third of the database's time per record) is made only when {@code
     * checkDuplicates}; otherwise the unique index on event_id refuses a known one, the whole
     * transaction rolls back (nothing of it stays: no record, no leaf) and the caller tries the
     * batch again with the look-up. Either way only new records become leaves, in order.
     */
    private int store(List<Entry> entries, boolean checkDuplicates) {
        Map<UUID, Entry> unique = new LinkedHashMap<>();
        entries.forEach(e -> unique.putIfAbsent(e.eventId(), e));
        tree.fence();
        try (Connection c = dataSource.getConnection()) {
            Set<UUID> known = new HashSet<>();
            if (checkDuplicates) {
            // A join with the ids, not "event_id = any(?)": with thousands of ids the planner chose to
            // read the whole table for the latter (a second per batch at 500,000 records); the join
            // probes the unique index once per id.
            try (PreparedStatement s = c.prepareStatement(
                    "select r.event_id from unnest(?::uuid[]) as k(id) join audit_record r on r.event_id = k.id")) {
                s.setArray(1, c.createArrayOf("uuid", unique.keySet().toArray()));
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        known.add(r.getObject(1, UUID.class));
                    }
                }
            }
            }
            List<byte[]> leaves = new ArrayList<>();
            // The new records in COPY's text format: one statement for the whole batch, and the
            // database's cheapest way in (no statement parsed or planned per row or per 128 rows).
            // Each row was made by ingest's first stage; the writer adds the leaf index.
            ByteArrayOutputStream rows = new ByteArrayOutputStream(unique.size() * 1000);
            long leafIndex = tree.nextLeafIndex();
            for (Entry e : unique.values()) {
                if (known.contains(e.eventId())) {
                    continue;
                }
                rows.writeBytes(e.row());
                rows.writeBytes(Long.toString(leafIndex++).getBytes(StandardCharsets.US_ASCII));
                rows.write('\n');
                leaves.add(e.leafHash());
            }
            if (!leaves.isEmpty()) {
                CopyText.copy(c, "copy audit_record (event_id, source, received_at, occurred_at, organisation_id, "
                        + "pupil_pseudonym, actor_username, actor_role, actor_organisation_id, action, outcome, record, "
                        + "leaf_index) from stdin", rows.toByteArray());
            }
            tree.append(leaves);
            return leaves.size();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot append to the audit log", e);
        }
    }
}
