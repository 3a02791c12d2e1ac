package be.needtoknow.audit.tree;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Recomputes the audit log's tree from the stored records (A2) and compares it with the stored
 * leaf hashes and with every checkpoint that carries a valid signature of the log's key: either
 * "consistent with checkpoint N", or the first record that does not match — changed, missing,
 * added, or not in the tree — and the checkpoints it breaks. Also checks a checkpoint saved
 * elsewhere (by an auditor) against today's tree. Plain JDBC, so that it runs inside the service
 * (the DPO's endpoint) and as a command against the database alone ({@link #main}).
 */
public final class TreeVerifier {

    private TreeVerifier() {
    }

    /**
     * The columns the DPO's queries, the reports and the statistics search on, stored beside the
     * hashed record so that an index can serve them: verification recomputes each from the record,
     * so that none can be changed unnoticed (A2). The values are read as text.
     */
    static final List<String> SEALED = List.of("organisation_id", "pupil_pseudonym", "actor_username", "actor_role",
            "actor_organisation_id", "action", "outcome", "occurred_at");

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The first searched column that differs from what the hashed record says, or null.
     *
     * @param columns    the text columns of {@link #SEALED}, in its order (all but the last)
     * @param occurredAt the last, occurred_at
     */
    static String unsealed(String record, String[] columns, OffsetDateTime occurredAt) {
        // The fields in the order of SEALED; read with the streaming parser, since verification
        // reads every record of the log (a tree per record would double its time).
        String[] sealed = new String[SEALED.size()];
        try (JsonParser p = JSON.createParser(record)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return "record";
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("actor") && value == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String inner = p.currentName();
                        JsonToken v = p.nextToken();
                        int at = switch (inner) {
                            case "username" -> 2;
                            case "role" -> 3;
                            case "organisationId" -> 4;
                            default -> -1;
                        };
                        if (at >= 0 && v.isScalarValue() && v != JsonToken.VALUE_NULL) {
                            sealed[at] = p.getText();
                        }
                        p.skipChildren();
                    }
                    continue;
                }
                int at = switch (field) {
                    case "organisationId" -> 0;
                    case "pupilPseudonym" -> 1;
                    case "action" -> 5;
                    case "outcome" -> 6;
                    case "occurredAt" -> 7;
                    default -> -1;
                };
                if (at >= 0 && value.isScalarValue() && value != JsonToken.VALUE_NULL) {
                    sealed[at] = p.getText();
                }
                p.skipChildren();
            }
        } catch (IOException e) {
            return "record"; // not JSON: no record ingest stored
        }
        for (int i = 0; i < columns.length; i++) {
            if (!Objects.equals(sealed[i], columns[i])) {
                return SEALED.get(i);
            }
        }
        // A timestamptz keeps microseconds: the record's time, to the microsecond, is the column's.
        try {
            Instant hashed = OffsetDateTime.parse(sealed[7]).toInstant();
            if (occurredAt == null || Math.abs(Duration.between(hashed, occurredAt.toInstant()).toNanos()) >= 1_000) {
                return "occurred_at";
            }
        } catch (RuntimeException e) {
            return "occurred_at";
        }
        return null;
    }

    /**
     * The sealed-column check of every record, on a thread of its own beside the hashing (one
     * parse per record would otherwise add half again to a full verification): records go in
     * batches, in leaf order, and the first batch with a mismatch names the first one.
     */
    private static final class SealedColumns {

        private static final int BATCH = 10_000;

        // At most four batches wait (the caller checks one itself beyond that); an idle thread ends
        // by itself, so that a verification that fails midway leaves none behind.
        private final ThreadPoolExecutor checker = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(4), r -> {
                    Thread t = new Thread(r, "audit-verification-sealed-columns");
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy());

        SealedColumns() {
            checker.allowCoreThreadTimeOut(true);
        }
        private final List<Future<Mismatch>> batches = new ArrayList<>();
        private List<Object[]> batch = new ArrayList<>(BATCH);

        void add(long index, String record, String[] columns, OffsetDateTime occurredAt) {
            batch.add(new Object[] { index, record, columns, occurredAt });
            if (batch.size() == BATCH) {
                submit();
            }
        }

        private void submit() {
            List<Object[]> full = batch;
            batch = new ArrayList<>(BATCH);
            batches.add(checker.submit(() -> {
                for (Object[] r : full) {
                    String column = unsealed((String) r[1], (String[]) r[2], (OffsetDateTime) r[3]);
                    if (column != null) {
                        return new Mismatch((Long) r[0], "changed: its " + column + " is not the hashed record's");
                    }
                }
                return null;
            }));
        }

        /** The first record whose searched columns differ from it, or null; ends the checker. */
        Mismatch firstMismatch() {
            try {
                if (!batch.isEmpty()) {
                    submit();
                }
                for (Future<Mismatch> f : batches) {
                    Mismatch m = f.get();
                    if (m != null) {
                        return m;
                    }
                }
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("verification interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("the sealed-column check failed", e.getCause());
            } finally {
                checker.shutdownNow();
            }
        }
    }

    /** The first record that does not match, and how. */
    public record Mismatch(long leafIndex, String problem) {
    }

    /** A checkpoint whose signature holds: its size and root. */
    private record Signed(long treeSize, byte[] rootHash) {
    }

    /** What verification found. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Report(boolean consistent, String summary, long records, Long consistentWithCheckpoint,
            Mismatch firstMismatch, Long firstBrokenCheckpoint, Boolean savedCheckpointConsistent, String savedCheckpoint,
            List<Witnesses.WitnessState> witnesses, Long witnessedSize) {

        /** This report with what the witnesses cosigned (the service knows its witnesses; the command does not). */
        public Report withWitnesses(List<Witnesses.WitnessState> states, Long witnessed) {
            return new Report(consistent, summary, records, consistentWithCheckpoint, firstMismatch, firstBrokenCheckpoint,
                    savedCheckpointConsistent, savedCheckpoint, states, witnessed);
        }
    }

    /**
     * Where a verification starts: after the first {@code size} records, already verified, whose
     * tree the builder holds. {@link #FIRST_LEAF} for a full verification.
     */
    public record Start(long size, Rfc9162.Builder tree) {
        public static final Start FIRST_LEAF = new Start(0, new Rfc9162.Builder());
    }

    /** A verification's report, and where the next one can start when it was consistent. */
    public record Outcome(Report report, Start next) {
    }

    /**
     * @param verifierKey the log's verifier key: only checkpoints it signed count
     * @param origin      the log's origin, or null to take the saved checkpoint's
     * @param savedNote   a checkpoint saved elsewhere, or null
     */
    public static Report verify(Connection c, String verifierKey, String origin, String savedNote) throws SQLException {
        return verify(c, verifierKey, origin, savedNote, Start.FIRST_LEAF).report();
    }

    /**
     * The records from a start on (an incremental verification: the monitor's), against the
     * checkpoints beyond it; or all of them from {@link Start#FIRST_LEAF}.
     */
    public static Outcome verify(Connection c, String verifierKey, String origin, String savedNote, Start from)
            throws SQLException {
        List<Signed> signed = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("select note from checkpoint where tree_size > ? order by tree_size")) {
            s.setLong(1, from.size());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    CheckpointNote.verify(r.getString(1), verifierKey)
                            .ifPresent(p -> signed.add(new Signed(p.treeSize(), p.rootHash())));
                }
            }
        }
        CheckpointNote.Parsed saved = null;
        if (savedNote != null && !savedNote.isBlank()) {
            saved = CheckpointNote.verify(savedNote, verifierKey).orElseThrow(() ->
                    new IllegalArgumentException("The saved checkpoint is not signed by this log's key."));
            if (origin != null && !saved.origin().equals(origin)) {
                throw new IllegalArgumentException("The saved checkpoint is of another log (" + saved.origin() + ").");
            }
        }
        Rfc9162.Builder builder = from.tree().copy();
        SealedColumns sealedColumns = new SealedColumns();
        Mismatch mismatch = null;
        Long lastGood = null;
        Long firstBroken = null;
        Boolean savedOk = null;
        Iterator<Signed> next = signed.iterator();
        Signed due = next.hasNext() ? next.next() : null;
        // Two streams in leaf order, merged here: the records (by their unique leaf index) and the
        // stored leaf hashes (by the tree's primary key); both read through cursors, no sort. Each
        // statement sees its own moment, and ingest goes on meanwhile: both stop at the log's end as
        // one statement saw it first (records are appended in leaf order, each with its leaf).
        long end;
        try (PreparedStatement s = c.prepareStatement("select greatest((select coalesce(max(leaf_index) + 1, 0) "
                + "from audit_record), (select coalesce(max(idx) + 1, 0) from merkle_node where level = 0))");
                ResultSet r = s.executeQuery()) {
            r.next();
            end = r.getLong(1);
        }
        try (PreparedStatement rs = c.prepareStatement("select leaf_index, record, " + String.join(", ", SEALED)
                + " from audit_record where leaf_index >= ? and leaf_index < ? order by leaf_index, position");
                PreparedStatement ns = c.prepareStatement(
                        "select idx, hash from merkle_node where level = 0 and idx >= ? and idx < ? order by idx")) {
            rs.setLong(1, from.size());
            rs.setLong(2, end);
            ns.setLong(1, from.size());
            ns.setLong(2, end);
            rs.setFetchSize(10_000);
            ns.setFetchSize(10_000);
            try (ResultSet r = rs.executeQuery(); ResultSet n = ns.executeQuery()) {
                boolean moreRecords = r.next();
                boolean moreLeaves = n.next();
                long expected = from.size();
                while (moreRecords || moreLeaves) {
                    long recordIndex = moreRecords ? r.getLong(1) : Long.MAX_VALUE;
                    long leafIndex = moreLeaves ? n.getLong(1) : Long.MAX_VALUE;
                    long index = Math.min(recordIndex, leafIndex);
                    String record = null;
                    String[] columns = null;
                    OffsetDateTime occurredAt = null;
                    byte[] stored = null;
                    if (recordIndex == index) {
                        record = r.getString(2);
                        columns = new String[SEALED.size() - 1];
                        for (int i = 0; i < columns.length; i++) {
                            columns[i] = r.getString(3 + i);
                        }
                        occurredAt = r.getObject(2 + SEALED.size(), OffsetDateTime.class);
                        moreRecords = r.next();
                    }
                    // The leaf pairs with the first record of its index; a second one meets no leaf.
                    if (leafIndex == index) {
                        stored = n.getBytes(2);
                        moreLeaves = n.next();
                    }
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
                    if (mismatch == null) {
                        sealedColumns.add(index, record, columns, occurredAt);
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
        Mismatch unsealed = sealedColumns.firstMismatch();
        if (unsealed != null && (mismatch == null || unsealed.leafIndex() < mismatch.leafIndex())) {
            mismatch = unsealed;
        }
        if (due != null && firstBroken == null) {
            firstBroken = due.treeSize(); // records that a checkpoint covered are gone
        }
        if (saved != null && savedOk == null) {
            savedOk = saved.treeSize() == 0 && Arrays.equals(saved.rootHash(), new Rfc9162.Builder().root());
        }
        boolean consistent = mismatch == null && firstBroken == null && (savedOk == null || savedOk);
        String summary;
        if (consistent && from.size() > 0) {
            summary = "consistent: records " + from.size() + " to " + builder.size() + " verified after the "
                    + from.size() + " verified before" + (lastGood == null ? "" : ", with checkpoint " + lastGood);
        } else if (consistent) {
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
        Report report = new Report(consistent, summary, builder.size(), lastGood, mismatch, firstBroken, savedOk,
                saved == null ? null : saved.treeSize() + " " + Base64.getEncoder().encodeToString(saved.rootHash()),
                null, null);
        return new Outcome(report, consistent ? new Start(builder.size(), builder) : null);
    }

    /**
     * The command: {@code NTK_DB_URL=jdbc:postgresql://host/ntk_audit NTK_DB_USER=... NTK_DB_PASSWORD=...
     * java -cp ... be.needtoknow.audit.tree.TreeVerifier <verifier key> [saved checkpoint file]}. A
     * read-only database role suffices. Prints the summary; exit status 0 when consistent, 1 when not.
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: TreeVerifier <verifier key> [saved checkpoint file]  (NTK_DB_URL, NTK_DB_USER, NTK_DB_PASSWORD)");
            System.exit(2);
        }
        String saved = args.length > 1 ? Files.readString(Path.of(args[1]), StandardCharsets.UTF_8) : null;
        try (Connection c = DriverManager.getConnection(System.getenv("NTK_DB_URL"), System.getenv("NTK_DB_USER"),
                System.getenv("NTK_DB_PASSWORD"))) {
            c.setAutoCommit(false); // a cursor: the records stream, whatever their number
            c.setReadOnly(true);
            Report report = verify(c, args[0], null, saved);
            System.out.println(report.summary());
            if (report.savedCheckpointConsistent() != null) {
                System.out.println("saved checkpoint " + report.savedCheckpoint() + ": "
                        + (report.savedCheckpointConsistent() ? "consistent with today's tree" : "NOT consistent with today's tree"));
            }
            System.exit(report.consistent() ? 0 : 1);
        }
    }
}
