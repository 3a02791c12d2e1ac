package be.needtoknow.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.flywaydb.core.Flyway;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import be.needtoknow.audit.tree.TreeNodes;
import be.needtoknow.audit.tree.NoteSigner;
import be.needtoknow.audit.tree.Rfc9162;
import be.needtoknow.audit.tree.TreeVerifier;
import be.needtoknow.stack.PostgresServer;

/**
 * The audit trail at scale (first benchmarked on its own, then taken into the benchmark of the
 * suite under load): on a fresh embedded PostgreSQL with audit-service's own migrations, loads N
 * synthetic records with their tree (bulk, COPY), then measures the DPO's query by pupil (the
 * service's SQL), inclusion and consistency proofs (the service's code) and full verification (the
 * service's code), beside the machine's reference figure from the same run: single-row insert
 * commits per second through JDBC.
 *
 * <pre>java -cp 'deploy/bench/target/ntk-bench-0.1.0-SNAPSHOT.jar:deploy/bench/target/lib/*' \
 *     be.needtoknow.bench.AuditTreeBench 1000000</pre>
 */
public final class AuditTreeBench {

    private static final String ORG = "school-bench";
    private static final String OTHER = "clb-bench";

    private AuditTreeBench() {
    }

    public static void main(String[] args) throws Exception {
        long records = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 1_000_000L;
        print(measure(records));
    }

    /**
     * One size's figures, in milliseconds for the query and the proofs (each sample) and seconds
     * for the verification; the reference is single-row insert commits per second on the same
     * database in the same run.
     */
    public record Figures(long records, double reference1, double reference8, double loadPerSecond, double[] query,
            double[] inclusion, double[] consistency, double verifySeconds, String verifySummary,
            long incrementalRecords, double incrementalMillis) {

        /** The time of one single-row commit at one client (the reference's mean), in milliseconds. */
        public double commitMillis() {
            return 1000.0 / reference1;
        }
    }

    /** Loads a fresh embedded PostgreSQL with that many records and measures; nothing stays behind. */
    public static Figures measure(long records) throws Exception {
        Path dir = Files.createTempDirectory("ntk-bench-pg");
        try {
            return run(dir, records);
        } finally {
            // The database is gigabytes at ten million records: nothing stays behind.
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void print(Figures f) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] { "reference: single-row insert commits/s, 1 client", fmt(f.reference1()), "1.00" });
        rows.add(new String[] { "reference: single-row insert commits/s, 8 clients", fmt(f.reference8()), "" });
        rows.add(new String[] { "bulk load of " + fmt(f.records()) + " records and their tree (COPY), records/s",
                fmt(f.loadPerSecond()), ratio(f.loadPerSecond(), f.reference1()) });
        rows.add(new String[] { "DPO query by pupil (the service's SQL, 50 records), ms p50 / p99",
                fmt2(percentile(f.query(), 50)) + " / " + fmt2(percentile(f.query(), 99)), "" });
        rows.add(new String[] { "inclusion proof (the service's code), ms p50 / p99",
                fmt2(percentile(f.inclusion(), 50)) + " / " + fmt2(percentile(f.inclusion(), 99)), "" });
        rows.add(new String[] { "consistency proof (the service's code), ms p50 / p99",
                fmt2(percentile(f.consistency(), 50)) + " / " + fmt2(percentile(f.consistency(), 99)), "" });
        rows.add(new String[] { "full verification of " + fmt(f.records()) + " records, s (" + f.verifySummary() + ")",
                fmt2(f.verifySeconds()), "" });
        rows.add(new String[] { "the monitor's incremental verification of the last " + fmt(f.incrementalRecords())
                + " records, ms", fmt2(f.incrementalMillis()), ratio(f.incrementalMillis(), f.commitMillis()) });
        System.out.println();
        System.out.println("Audit trail benchmark, " + Instant.now() + ", " + Runtime.getRuntime().availableProcessors()
                + " cores, " + System.getProperty("java.version") + ", PostgreSQL embedded (zonky)");
        System.out.printf("%-95s %22s %10s%n", "figure", "value", "÷ ref");
        for (String[] row : rows) {
            System.out.printf("%-95s %22s %10s%n", row[0], row[1], row[2]);
        }
    }

    private static Figures run(Path dir, long records) throws Exception {
        try (PostgresServer postgres = PostgresServer.start(dir, 0, PostgresServer.Durability.DURABLE)) {
            postgres.ensureDatabase("ntk_bench", "ntk_bench", "bench-only");
            postgres.ensureRole("ntk_bench_app", "bench-only-app");
            String url = postgres.jdbcUrl("ntk_bench");
            Flyway.configure().dataSource(url, "ntk_bench", "bench-only")
                    .locations("classpath:db/outbox", "classpath:db/migration")
                    .placeholders(Map.of("appuser", "ntk_bench_app")).load().migrate();
            try (Connection c = DriverManager.getConnection(url, "ntk_bench", "bench-only")) {
                double reference1 = commitsPerSecond(url, 1);
                double reference8 = commitsPerSecond(url, 8);

                long start = System.nanoTime();
                Loaded loaded = load(c, records);
                double loadSeconds = seconds(start);

                String key = NoteSigner.generate("bench.local");
                NoteSigner signer = NoteSigner.parse(key);
                String note = signer.sign("bench.local\n" + records + "\n"
                        + Base64.getEncoder().encodeToString(loaded.root()) + "\n");
                try (PreparedStatement s = c.prepareStatement(
                        "insert into checkpoint (tree_size, root_hash, note, signed_at) values (?, ?, ?, now())")) {
                    s.setLong(1, records);
                    s.setBytes(2, loaded.root());
                    s.setString(3, note);
                    s.executeUpdate();
                }

                Random random = new Random(7);
                double[] query = new double[200];
                try (PreparedStatement s = c.prepareStatement("select leaf_index, event_id, received_at, record "
                        + "from audit_record where (organisation_id = ? or actor_organisation_id = ?) and pupil_pseudonym = ? "
                        + "order by leaf_index limit 50 offset 0")) {
                    for (int i = 0; i < query.length; i++) {
                        s.setString(1, ORG);
                        s.setString(2, ORG);
                        s.setString(3, pseudonym(random.nextInt(loaded.pupils())));
                        long t = System.nanoTime();
                        try (ResultSet r = s.executeQuery()) {
                            while (r.next()) {
                                r.getString(4);
                            }
                        }
                        query[i] = millis(t);
                    }
                }

                double[] inclusion = new double[1000];
                for (int i = 0; i < inclusion.length; i++) {
                    long leaf = (long) (random.nextDouble() * records);
                    long t = System.nanoTime();
                    List<byte[]> path = TreeNodes.hashes(c, Rfc9162.inclusion(leaf, records));
                    inclusion[i] = millis(t);
                    if (path.isEmpty() && records > 1) {
                        throw new IllegalStateException("no path");
                    }
                }

                double[] consistency = new double[1000];
                for (int i = 0; i < consistency.length; i++) {
                    long first = 1 + (long) (random.nextDouble() * (records - 1));
                    long t = System.nanoTime();
                    TreeNodes.hashes(c, Rfc9162.consistency(first, records));
                    consistency[i] = millis(t);
                }

                c.setAutoCommit(false);
                start = System.nanoTime();
                TreeVerifier.Report report = TreeVerifier.verify(c, signer.verifierKey(), "bench.local", null);
                double verifySeconds = seconds(start);
                c.commit();
                if (!report.consistent()) {
                    throw new IllegalStateException("the loaded log does not verify: " + report.summary());
                }
                // The monitor's run after the last 10,000 records came in: it starts from the tree of
                // the records before them (built here from the stored leaves, not timed).
                long added = Math.min(10_000, records);
                Rfc9162.Builder before = new Rfc9162.Builder();
                try (PreparedStatement s = c.prepareStatement("select hash from merkle_node where level = 0 and idx < ? order by idx")) {
                    s.setLong(1, records - added);
                    s.setFetchSize(10_000);
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            before.add(r.getBytes(1));
                        }
                    }
                }
                start = System.nanoTime();
                TreeVerifier.Outcome incremental = TreeVerifier.verify(c, signer.verifierKey(), "bench.local", null,
                        new TreeVerifier.Start(records - added, before));
                double incrementalMillis = millis(start);
                c.commit();
                if (!incremental.report().consistent()) {
                    throw new IllegalStateException("the incremental verification failed: " + incremental.report().summary());
                }
                return new Figures(records, reference1, reference8, records / loadSeconds, query, inclusion, consistency,
                        verifySeconds, report.summary(), added, incrementalMillis);
            }
        }
    }

    private record Loaded(byte[] root, int pupils) {
    }

    static String pseudonym(int pupil) {
        return HexFormat.of().formatHex(Rfc9162.leafHash(("pupil-" + pupil).getBytes(StandardCharsets.UTF_8)));
    }

    /** N records, about 50 per pupil, with their leaves and the tree's perfect subtrees, by COPY. */
    private static Loaded load(Connection c, long records) throws SQLException, IOException {
        int pupils = (int) Math.max(1, records / 50);
        Random random = new Random(42);
        Rfc9162.Builder builder = new Rfc9162.Builder();
        byte[][] waiting = new byte[64][];
        PGConnection pg = c.unwrap(PGConnection.class);
        long done = 0;
        while (done < records) {
            long chunk = Math.min(100_000, records - done);
            StringBuilder recordRows = new StringBuilder();
            StringBuilder nodeRows = new StringBuilder();
            for (long i = done; i < done + chunk; i++) {
                int pupil = random.nextInt(pupils);
                boolean clb = random.nextInt(10) == 0;
                String actor = clb ? "worker-" + random.nextInt(50) : "staff-" + random.nextInt(200);
                String org = clb ? OTHER : ORG;
                String occurred = Instant.ofEpochSecond(1_700_000_000L + i).toString();
                String record = "{\"action\":\"case-file.read\",\"actor\":{\"organisationId\":\"" + org
                        + "\",\"organisationType\":\"school\",\"role\":\"pupil-counsellor\",\"subject\":\"s-" + actor
                        + "\",\"username\":\"" + actor + "\"},\"correlationId\":\"" + UUID.randomUUID()
                        + "\",\"legalBasis\":\"legal-task\",\"occurredAt\":\"" + occurred + "\",\"organisationId\":\"" + ORG
                        + "\",\"outcome\":\"GRANTED\",\"pupilPseudonym\":\"" + pseudonym(pupil)
                        + "\",\"purpose\":\"pupil guidance\",\"resourceId\":\"" + UUID.randomUUID()
                        + "\",\"resourceType\":\"case-file\",\"service\":\"case-service\"}";
                recordRows.append(UUID.randomUUID()).append("\tcase-service\t").append(occurred).append('\t').append(occurred)
                        .append('\t').append(ORG).append('\t').append(pseudonym(pupil)).append('\t').append(actor)
                        .append("\tpupil-counsellor\t").append(org).append("\tcase-file.read\tGRANTED\t").append(record).append('\t').append(i)
                        .append('\n');
                byte[] hash = Rfc9162.leafHash(record.getBytes(StandardCharsets.UTF_8));
                builder.add(hash);
                node(nodeRows, 0, i, hash);
                long idx = i;
                int level = 0;
                while ((idx & 1) == 1) {
                    hash = Rfc9162.nodeHash(waiting[level], hash);
                    waiting[level] = null;
                    idx >>= 1;
                    level++;
                    node(nodeRows, level, idx, hash);
                }
                waiting[level] = hash;
            }
            copy(pg, "copy audit_record (event_id, source, received_at, occurred_at, organisation_id, pupil_pseudonym, "
                    + "actor_username, actor_role, actor_organisation_id, action, outcome, record, leaf_index) from stdin", recordRows);
            copy(pg, "copy merkle_node (level, idx, hash) from stdin", nodeRows);
            done += chunk;
        }
        try (Statement s = c.createStatement()) {
            s.execute("analyze");
        }
        return new Loaded(builder.root(), pupils);
    }

    private static void node(StringBuilder rows, int level, long idx, byte[] hash) {
        // COPY's text format: a backslash is escaped, so \\x starts a bytea in hex.
        rows.append(level).append('\t').append(idx).append("\t\\\\x").append(HexFormat.of().formatHex(hash)).append('\n');
    }

    private static void copy(PGConnection pg, String sql, StringBuilder rows) throws SQLException {
        byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
        CopyIn in = pg.getCopyAPI().copyIn(sql);
        try {
            in.writeToCopy(bytes, 0, bytes.length);
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    /** The reference: single-row insert transactions per second for 5 seconds, each committed, by n clients. */
    private static double commitsPerSecond(String url, int clients) throws Exception {
        try (Connection c = DriverManager.getConnection(url, "ntk_bench", "bench-only"); Statement s = c.createStatement()) {
            s.execute("create table if not exists bench_reference (id bigserial primary key, v text not null)");
        }
        AtomicLong commits = new AtomicLong();
        long end = System.nanoTime() + 5_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Thread t = new Thread(() -> {
                try (Connection c = DriverManager.getConnection(url, "ntk_bench", "bench-only");
                        PreparedStatement s = c.prepareStatement("insert into bench_reference (v) values (?)")) {
                    while (System.nanoTime() < end) {
                        s.setString(1, "reference");
                        s.executeUpdate();
                        commits.incrementAndGet();
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        return commits.get() / 5.0;
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static double millis(long start) {
        return (System.nanoTime() - start) / 1e6;
    }

    static double percentile(double[] values, int p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static String fmt(double v) {
        return String.format("%,.0f", v);
    }

    private static String fmt2(double v) {
        return String.format("%.2f", v);
    }

    private static String ratio(double v, double reference) {
        return String.format("%.2f", v / reference);
    }
}
