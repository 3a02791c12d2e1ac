package be.needtoknow.audit.tree;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.agroal.api.AgroalDataSource;

/**
 * Recomputes the tree from the stored records (A2) and compares it with the stored leaf hashes
 * and with every signed checkpoint: either "consistent with checkpoint N", or the first record
 * that does not match — changed, missing, or not in the tree — and the checkpoints it breaks.
 * Also checks a checkpoint saved elsewhere (by an auditor) against today's tree.
 */
@ApplicationScoped
public class Verification {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Checkpoints checkpoints;

    /** The first record that does not match, and how. */
    public record Mismatch(long leafIndex, String problem) {
    }

    /** What verification found. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Report(boolean consistent, String summary, long records, Long consistentWithCheckpoint,
            Mismatch firstMismatch, Long firstBrokenCheckpoint, Boolean savedCheckpointConsistent, String savedCheckpoint) {
    }

    /** In a transaction, so that the records stream through a cursor, whatever their number. */
    @Transactional
    public Report verify(String savedNote) {
        List<Checkpoints.Checkpoint> signed = new ArrayList<>();
        for (Checkpoints.Checkpoint c : checkpoints.all()) {
            if (CheckpointNote.verify(c.note(), checkpoints.verifierKey()).isPresent()) {
                signed.add(c);
            }
        }
        CheckpointNote.Parsed saved = null;
        if (savedNote != null && !savedNote.isBlank()) {
            saved = CheckpointNote.verify(savedNote, checkpoints.verifierKey()).orElseThrow(() ->
                    new IllegalArgumentException("The saved checkpoint is not signed by this log's key."));
            if (!saved.origin().equals(checkpoints.origin())) {
                throw new IllegalArgumentException("The saved checkpoint is of another log (" + saved.origin() + ").");
            }
        }
        Rfc9162.Builder builder = new Rfc9162.Builder();
        Mismatch mismatch = null;
        Long lastGood = null;
        Long firstBroken = null;
        Boolean savedOk = null;
        Iterator<Checkpoints.Checkpoint> next = signed.iterator();
        Checkpoints.Checkpoint due = next.hasNext() ? next.next() : null;
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement s = c.prepareStatement("""
                    select coalesce(r.leaf_index, n.idx), r.record, n.hash
                    from audit_record r full outer join (select idx, hash from merkle_node where level = 0) n
                      on n.idx = r.leaf_index
                    order by 1, r.position""")) {
                s.setFetchSize(10_000);
                try (ResultSet r = s.executeQuery()) {
                    long expected = 0;
                    while (r.next()) {
                        long index = r.getLong(1);
                        String record = r.getString(2);
                        byte[] stored = r.getBytes(3);
                        if (mismatch == null) {
                            if (index > expected) {
                                mismatch = new Mismatch(expected, "missing: the record and its leaf were removed");
                            } else if (index < expected) {
                                mismatch = new Mismatch(index, "added: a second record with this leaf index");
                            } else if (record == null) {
                                mismatch = new Mismatch(index, "missing: the record was removed");
                            } else if (stored == null) {
                                mismatch = new Mismatch(index, "not in the tree: the record was added");
                            }
                        }
                        expected = index + 1;
                        if (record == null) {
                            continue;
                        }
                        byte[] leaf = Rfc9162.leafHash(record.getBytes(StandardCharsets.UTF_8));
                        if (mismatch == null && !Arrays.equals(leaf, stored)) {
                            mismatch = new Mismatch(index, "changed: the record does not match its leaf");
                        }
                        builder.add(leaf);
                        while (due != null && due.treeSize() == builder.size()) {
                            if (Arrays.equals(builder.root(), due.rootHash())) {
                                if (firstBroken == null) {
                                    lastGood = due.treeSize();
                                }
                            } else if (firstBroken == null) {
                                firstBroken = due.treeSize();
                            }
                            due = next.hasNext() ? next.next() : null;
                        }
                        if (saved != null && savedOk == null && saved.treeSize() == builder.size()) {
                            savedOk = Arrays.equals(builder.root(), saved.rootHash());
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the audit log", e);
        }
        if (due != null && firstBroken == null) {
            firstBroken = due.treeSize(); // records that a checkpoint covered are gone
        }
        if (saved != null && savedOk == null) {
            savedOk = saved.treeSize() == 0 && Arrays.equals(saved.rootHash(), new Rfc9162.Builder().root());
        }
        boolean consistent = mismatch == null && firstBroken == null && (savedOk == null || savedOk);
        String summary;
        if (consistent) {
            summary = lastGood == null ? "consistent: " + builder.size() + " records, no checkpoint yet"
                    : "consistent with checkpoint " + lastGood + " (" + builder.size() + " records)";
        } else if (mismatch != null) {
            summary = "not consistent: leaf " + mismatch.leafIndex() + " " + mismatch.problem();
        } else if (firstBroken != null) {
            summary = "not consistent: the records no longer hash to checkpoint " + firstBroken
                    + (lastGood == null ? "" : "; they still match checkpoint " + lastGood);
        } else {
            summary = "not consistent with the saved checkpoint " + saved.treeSize();
        }
        return new Report(consistent, summary, builder.size(), lastGood, mismatch, firstBroken, savedOk,
                saved == null ? null : saved.treeSize() + " " + Base64.getEncoder().encodeToString(saved.rootHash()));
    }
}
