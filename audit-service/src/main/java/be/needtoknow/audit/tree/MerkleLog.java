package be.needtoknow.audit.tree;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import org.jboss.logging.Logger;

import be.needtoknow.common.database.DatabaseStartup;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The audit log's Merkle tree (A2), kept in PostgreSQL as the hashes of its perfect subtrees. One
 * writer appends (audit-service's ingest, one sequencer per log): each leaf in the transaction
 * that stores its record, so the tree and the records never disagree. The right edge of the tree
 * (at most one waiting left node per level) is kept in memory and follows the commits.
 */
@ApplicationScoped
public class MerkleLog {

    private static final Logger LOG = Logger.getLogger(MerkleLog.class);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    TransactionSynchronizationRegistry transactions;

    /** The committed tree: its size, and per level the left node that waits for its sibling. */
    private Edge committed;
    /** The tree as the current transaction extends it; adopted when it commits. */
    private Edge working;

    private record Edge(long size, byte[][] waiting) {
        Edge copy() {
            byte[][] copy = new byte[64][];
            System.arraycopy(waiting, 0, copy, 0, 64);
            return new Edge(size, copy);
        }
    }

    /**
     * Loads the tree's right edge once the database is there (at start, or later if it was down
     * then), and hashes in what was stored before the tree existed. Ingest waits until then
     * (AuditLog waits for the start-up work); anything else that needs the tree fails meanwhile.
     */
    synchronized void onDatabaseReady(@Observes DatabaseStartup.Ready event) {
        Edge loaded = load();
        committed = loaded;
        try {
            long behind = QuarkusTransaction.requiringNew().call(this::catchUp);
            if (behind > 0) {
                LOG.infof("Hashed %d stored audit records into the tree", behind);
            }
        } catch (RuntimeException e) {
            committed = null; // tried again with the rest of the start-up work
            throw e;
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
            long size;
            try (PreparedStatement s = c.prepareStatement("select coalesce(max(idx) + 1, 0) from merkle_node where level = 0");
                    ResultSet r = s.executeQuery()) {
                r.next();
                size = r.getLong(1);
            }
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

    /** Records stored before the tree existed join it, in log order. */
    long catchUp() {
        List<byte[]> leaves = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "select leaf_index, record from audit_record where leaf_index >= ? order by leaf_index")) {
            s.setLong(1, committed.size());
            try (ResultSet r = s.executeQuery()) {
                long expected = committed.size();
                while (r.next()) {
                    if (r.getLong(1) != expected++) {
                        throw new IllegalStateException("The audit log has a gap at leaf " + (expected - 1));
                    }
                    leaves.add(r.getString(2).getBytes(StandardCharsets.UTF_8));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the audit log", e);
        }
        append(leaves.stream().map(Rfc9162::leafHash).toList());
        return leaves.size();
    }

    /** The committed size: the number of records in the tree. */
    public synchronized long size() {
        return loaded().size();
    }

    /** The leaf index the next record gets, in the current transaction. */
    public synchronized long nextLeafIndex() {
        return edge().size();
    }

    /** Appends records' leaf hashes to the tree, in order, in the current transaction (the records' own). */
    public synchronized void append(List<byte[]> leafHashes) {
        if (leafHashes.isEmpty()) {
            return;
        }
        Edge edge = edge();
        long size = edge.size();
        List<Object[]> nodes = new ArrayList<>();
        for (byte[] leafHash : leafHashes) {
            nodes.add(new Object[] { 0, size, leafHash });
            byte[] hash = leafHash;
            long idx = size;
            int level = 0;
            while ((idx & 1) == 1) {
                hash = Rfc9162.nodeHash(edge.waiting()[level], hash);
                edge.waiting()[level] = null;
                idx >>= 1;
                level++;
                nodes.add(new Object[] { level, idx, hash });
            }
            edge.waiting()[level] = hash;
            size++;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("insert into merkle_node (level, idx, hash) values (?, ?, ?)")) {
            for (Object[] node : nodes) {
                s.setShort(1, ((Integer) node[0]).shortValue());
                s.setLong(2, (Long) node[1]);
                s.setBytes(3, (byte[]) node[2]);
                s.addBatch();
            }
            s.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot store the tree's nodes", e);
        }
        working = new Edge(size, edge.waiting());
    }

    /** The working edge of the current transaction, registered to be adopted on commit. */
    private Edge edge() {
        if (working == null) {
            working = loaded().copy();
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    synchronized (MerkleLog.this) {
                        if (status == Status.STATUS_COMMITTED) {
                            committed = working;
                        }
                        working = null;
                    }
                }
            });
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
