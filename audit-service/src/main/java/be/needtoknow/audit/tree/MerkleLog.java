package be.needtoknow.audit.tree;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import be.needtoknow.audit.CopyText;
import be.needtoknow.common.database.DatabaseStartup;
import io.agroal.api.AgroalDataSource;

/**
 * The audit log's Merkle tree (A2), kept in PostgreSQL as the hashes of its perfect subtrees. One
 * writer appends at a time (audit-service's ingest; with two instances on one database, the one
 * that holds the append lock, see {@link #fence}): each leaf in the transaction that stores its
 * record, so the tree and the records never disagree. The right edge of the tree (at most one
 * waiting left node per level) is kept in memory and follows the commits.
 */
@ApplicationScoped
public class MerkleLog {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    TransactionSynchronizationRegistry transactions;

    /** The advisory lock key of the append path, shared by every instance of the service on one database. */
    private static final long APPEND_LOCK = 0x6e746b2d61756469L; // "ntk-audi"

    @Inject
    AuditAlarms alarms;

    /** Why the log appends nothing, once a row that is not in the tree was found; null while all is well. */
    private volatile String stopped;

    /** The committed tree: its size, and per level the left node that waits for its sibling. */
    private Edge committed;
    /** The key of the tree as the current transaction extends it (a resource of the transaction); adopted when it commits. */
    private static final Object WORKING = MerkleLog.class.getName() + ".working";

    private record Edge(long size, byte[][] waiting) {
        Edge copy() {
            byte[][] copy = new byte[64][];
            System.arraycopy(waiting, 0, copy, 0, 64);
            return new Edge(size, copy);
        }
    }

    /**
     * Loads the tree's right edge once the database is there (at start, or later if it was down
     * then). Ingest waits until then (AuditLog waits for the start-up work); anything else that
     * needs the tree fails meanwhile. Rows that are not in the tree are never adopted: the log
     * stops appending and raises the alarm ({@link #fence}).
     */
    synchronized void onDatabaseReady(@Observes DatabaseStartup.Ready event) {
        committed = load();
        try (Connection c = dataSource.getConnection()) {
            check(ends(c));
        } catch (SQLException e) {
            committed = null; // tried again with the rest of the start-up work
            throw new IllegalStateException("Cannot read the audit log", e);
        } catch (IllegalStateException adoption) {
            // The alarm is raised and the append path stopped; the DPO's queries and proofs go on.
        }
    }

    private Edge loaded() {
        if (committed == null) {
            throw new IllegalStateException("The audit log's tree is not loaded yet (waiting for the database)");
        }
        return committed;
    }

    private Edge load() {
        try (Connection c = dataSource.getConnection()) {
            long size = treeSize(c);
            byte[][] waiting = new byte[64][];
            List<Rfc9162.Range> keys = new ArrayList<>();
            for (int level = 0; level < 63; level++) {
                long count = size >> level;
                if ((count & 1) == 1) {
                    keys.add(new Rfc9162.Range((count - 1) << level, count << level));
                }
            }
            Map<Rfc9162.Range, byte[]> hashes = TreeNodes.fetch(c, keys);
            for (Rfc9162.Range key : keys) {
                waiting[key.level()] = hashes.get(key);
            }
            return new Edge(size, waiting);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the audit log's tree", e);
        }
    }

    /** Where the tree ends (its size) and where the records end (the last leaf index + 1). */
    private record Ends(long tree, long records) {
    }

    private static Ends ends(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select (select coalesce(max(idx) + 1, 0) from merkle_node "
                + "where level = 0), (select coalesce(max(leaf_index) + 1, 0) from audit_record)");
                ResultSet r = s.executeQuery()) {
            r.next();
            return new Ends(r.getLong(1), r.getLong(2));
        }
    }

    private static long treeSize(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select coalesce(max(idx) + 1, 0) from merkle_node where level = 0");
                ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }

    /**
     * A2, no adoption: the records end where the tree ends. A record beyond the tree, or a leaf
     * without its record, did not come through ingest's transaction (which stores both together):
     * the log stops appending (so that it never hashes or signs it) and raises the alarm.
     */
    private void check(Ends ends) {
        if (stopped != null) {
            throw new IllegalStateException(stopped);
        }
        long size = ends.tree();
        long records = ends.records();
        if (records != size) {
            String detail = records > size
                    ? "audit_record holds rows from leaf " + size + " to " + (records - 1) + " that are not in the tree"
                    : "the tree holds leaves from " + records + " to " + (size - 1) + " without their records";
            stopped = "The audit log appends nothing: " + detail + " (not added by ingest; see the alarm)";
            alarms.raise(AuditAlarms.Kind.ADOPTION, detail + "; the log appends nothing until an operator has "
                    + "examined and removed them");
            throw new IllegalStateException(stopped);
        }
    }

    /**
     * The fence of an append, first in its transaction: {@link #refresh}, then the transaction's
     * working edge, on top of the tree as it is now.
     */
    public void fence() {
        if (transactions.getResource(WORKING) != null) {
            return; // fenced already in this transaction
        }
        refresh();
        edge();
    }

    /**
     * In the current transaction, takes the log's lock (held until it ends: one appender at a time,
     * whichever instance of the service) and, when another instance appended since, the tree's edge
     * from the database; then checks that the records end where the tree ends. The lock is waited
     * for outside this object's monitor, which the other thread's commit needs.
     */
    public void refresh() {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement s = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
                s.setLong(1, APPEND_LOCK);
                s.execute();
            }
            // A statement of its own, after the lock: its snapshot sees what the last holder committed.
            Ends ends = ends(c);
            synchronized (this) {
                if (ends.tree() != loaded().size()) {
                    committed = load();
                }
                check(ends);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the audit log's tree", e);
        }
    }

    /** The committed size: the number of records in the tree. */
    public synchronized long size() {
        return loaded().size();
    }

    /** The leaf index the next record gets, in the current transaction (after {@link #fence}). */
    public long nextLeafIndex() {
        return edge().size();
    }

    /** Why the log appends nothing (a row not added by ingest was found), or null. */
    public String stopped() {
        return stopped;
    }

    /** Appends records' leaf hashes to the tree, in order, in the current transaction (the records' own). */
    public void append(List<byte[]> leafHashes) {
        if (leafHashes.isEmpty()) {
            return;
        }
        Edge edge = edge();
        long size = edge.size();
        // The new nodes in COPY's text format (about two per leaf): one statement for them all.
        CopyText nodes = new CopyText(leafHashes.size() * 2 * 90);
        for (byte[] leafHash : leafHashes) {
            node(nodes, 0, size, leafHash);
            byte[] hash = leafHash;
            long idx = size;
            int level = 0;
            while ((idx & 1) == 1) {
                hash = Rfc9162.nodeHash(edge.waiting()[level], hash);
                edge.waiting()[level] = null;
                idx >>= 1;
                level++;
                node(nodes, level, idx, hash);
            }
            edge.waiting()[level] = hash;
            size++;
        }
        try (Connection c = dataSource.getConnection()) {
            nodes.copyInto(c, "copy merkle_node (level, idx, hash) from stdin");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot store the tree's nodes", e);
        }
        working().edge = new Edge(size, edge.waiting());
    }

    private static final HexFormat HEX = HexFormat.of();

    private static void node(CopyText nodes, int level, long idx, byte[] hash) {
        // bytea in hex form, \x… (CopyText escapes the backslash for COPY's text format).
        nodes.value(Integer.toString(level)).value(Long.toString(idx)).last("\\x" + HEX.formatHex(hash));
    }

    /** The tree as one transaction extends it. */
    private static final class Working {
        Edge edge;
    }

    /** The working edge of the current transaction, registered to be adopted on commit. */
    private Edge edge() {
        return working().edge;
    }

    private Working working() {
        Working working = (Working) transactions.getResource(WORKING);
        if (working == null) {
            Working created = new Working();
            synchronized (this) {
                created.edge = loaded().copy();
            }
            transactions.putResource(WORKING, created);
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        synchronized (MerkleLog.this) {
                            committed = created.edge;
                        }
                    }
                }
            });
            working = created;
        }
        return working;
    }

    /** The root hash of the first {@code size} leaves. */
    public byte[] root(long size) {
        if (size == 0) {
            return new Rfc9162.Builder().root();
        }
        return hashes(List.of(new Rfc9162.Range(0, size))).get(0);
    }

    /** The hashes of these subtrees, in order, folded from the stored perfect subtrees. */
    public List<byte[]> hashes(List<Rfc9162.Range> ranges) {
        try (Connection c = dataSource.getConnection()) {
            return TreeNodes.hashes(c, ranges);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the audit log's tree", e);
        }
    }

}
