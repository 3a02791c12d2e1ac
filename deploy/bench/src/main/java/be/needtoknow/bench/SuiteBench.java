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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

import be.needtoknow.stack.DemoData;
import be.needtoknow.stack.KafkaAccess;
import be.needtoknow.stack.ServiceSpec;
import be.needtoknow.stack.Suite;

/**
 * The suite benchmark (the suite under load, widened for the performance work on the note path):
 * starts the whole suite on its embedded stack (free ports, a temporary directory, deleted after),
 * drives load through the real APIs with real tokens, and prints one table of figures beside the
 * machine's own reference figures from the same run, each with its sample count:
 * <ol>
 * <li>each service's start time (process start to its first ready answer) and resident memory,
 * idle and at the end of the largest note-writing phase;</li>
 * <li>references: PostgreSQL single-row insert commits (1, 8, 32 clients) and 100-row batches on a
 * scratch database of the suite's server, each timed after its connections are open and warm; the
 * Kafka broker's producer rate and end-to-end latency on scratch topics; a bare JVM's start;</li>
 * <li>note writes per second and their latency at 1, 8 and 32 concurrent counsellor clients (a
 * closed loop); during the largest phase, the audit lag of a sample of writes (201 to the record
 * visible in the trail, {@link AuditLag});</li>
 * <li>audited note reads ({@code GET /case-files/{id}/notes}, each returning the
 * {@value #NOTES_PER_READ_FILE} notes of a case file of its own, each note audited) per second and
 * their latency at the same client counts;</li>
 * <li>open loop ({@link Load#open}): at the largest client count, writes and then reads due at a
 * constant rate (by default 50 % and 80 % of that count's closed-loop rate), latency from the due
 * time (coordinated omission corrected);</li>
 * <li>the exact audit check: every 201 note write's own note.write record in the trail (by the
 * note's id), and for each read note as many note.read records as reads returned it; a miss fails
 * the run after the table;</li>
 * <li>referral latency from the send (open loop, due at a constant rate) to CLB Gent's own consumer
 * holding the event, the referrals prepared untimed first;</li>
 * <li>audit ingest through Kafka, records per second stored, sustained;</li>
 * <li>the DPO through audit-service's HTTP API with a real token, on the trail as the run left it:
 * search by pupil, access report, inclusion proof;</li>
 * <li>optionally the audit trail at scale ({@link AuditTreeBench}) at the sizes given, once the
 * suite is stopped, in the same table.</li>
 * </ol>
 * Run with {@code deploy/bench.sh suite [--quick]} or {@code deploy/bench.sh all [--quick]};
 * {@code --csv FILE} also writes the rows as CSV, so that the spread over several runs (one command
 * each) can be computed.
 */
public final class SuiteBench {

    private static final String SCHOOL_SYSTEM = "school-sint-jan-system";
    private static final String COUNSELLOR = "bart.counsellor";
    private static final String CLB = "clb-gent";
    private static final String SCHOOL = "school-sint-jan";
    private static final String DPO = "frank.dpo";
    /** Pupils whose access report the DPO makes, each with {@value #DPO_REPORT_RECORDS} or so records at the start. */
    static final int DPO_REPORT_PUPILS = 20;
    static final int DPO_REPORT_RECORDS = 50;
    private static final List<String> SERVICES = List.of("case-service", "referral-service", "audit-service");

    /** What to run and for how long. */
    record Options(boolean quick, List<Integer> clients, Duration warmUp, Duration duration, List<Integer> openPercents,
            int workers, Duration openWarmUp, int minSamples, int lagEvery, int referrals, double referralRate, int ingest, int dpo,
            Duration pgDuration, int kafkaRecords, int kafkaSamples, List<Long> auditSizes, Path csv, boolean keep) {

        static final String USAGE = """
                usage: deploy/bench.sh suite [--quick] [options]
                       deploy/bench.sh all [--quick] [options]      (the same, then the audit trail at scale)
                  --quick               a smoke run of a few minutes (short phases, small counts)
                  --clients 1,8,32      concurrent clients, one closed-loop phase of note writes and one of
                                        audited note reads each
                  --warmup SECONDS      each closed-loop phase's warm-up; twice that once before the first
                                        (default 15; quick 4)
                  --duration SECONDS    each phase's measured time, closed and open loop (default 45; quick 10)
                  --min-samples N       a closed-loop window that would hold fewer successful requests is lengthened
                                        to hold them, to at most 3 × its duration (default 10000; quick 0)
                  --open 50,80          open-loop phases at the largest client count: writes, then reads, due at
                                        these percentages of that count's closed-loop rate ("none": skip)
                  --workers N           the open loop's workers (connections), taking sends from one schedule
                                        (default 64)
                  --lag-every N         audit lag: every N-th 201 in the largest write phase's window is a sample
                                        (default 1: every one)
                  --referrals N         referrals timed end to end, prepared first by 8 clients (default 10000;
                                        quick 300)
                  --referral-rate R     referral sends per second, open loop (default 100; quick 50)
                  --ingest N            audit records produced for the ingest figure (default 500000; quick 50000)
                  --dpo N               after ingest, the DPO's query by pupil and inclusion proofs through the HTTP
                                        API, N of each (default 2000; quick 200), and N/10 access reports ("0": skip)
                  --audit SIZES         after the suite: the audit trail at these sizes, e.g. 100k,1m,10m
                  --csv FILE            also write every row of the table to FILE as CSV (for the spread over runs:
                                        run the command several times, one file each)
                  --keep                keep the temporary directory (state and logs) and print where it is

                An audit record missing or doubled (a 201 note write without exactly one note.write record of its
                own in the trail, or a note with fewer or more note.read records than the reads that returned it)
                makes the run fail (exit status 1) after the table.""";

        static Options parse(String[] args) {
            boolean quick = List.of(args).contains("--quick");
            List<Integer> clients = List.of(1, 8, 32);
            Duration warmUp = Duration.ofSeconds(quick ? 4 : 15);
            Duration duration = Duration.ofSeconds(quick ? 10 : 45);
            List<Integer> open = List.of(50, 80);
            int workers = 64;
            int lagEvery = 1;
            int minSamples = quick ? 0 : 10_000;
            int referrals = quick ? 300 : 10_000;
            double referralRate = quick ? 50 : 100;
            int ingest = quick ? 50_000 : 500_000;
            int dpo = quick ? 200 : 2_000;
            List<Long> auditSizes = List.of();
            Path csv = null;
            boolean keep = false;
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--quick" -> {
                    }
                    case "--help", "-h" -> throw new IllegalArgumentException(USAGE);
                    case "--keep" -> keep = true;
                    case "--clients" -> {
                        clients = Stream.of(require(value, args[i]).split(",")).map(String::trim).map(Integer::parseInt)
                                .sorted().toList();
                        i++;
                    }
                    case "--warmup" -> {
                        warmUp = Duration.ofSeconds(Long.parseLong(require(value, args[i])));
                        i++;
                    }
                    case "--duration" -> {
                        duration = Duration.ofSeconds(Long.parseLong(require(value, args[i])));
                        i++;
                    }
                    case "--open" -> {
                        String v = require(value, args[i]).trim();
                        open = v.equals("none") ? List.of()
                                : Stream.of(v.split(",")).map(String::trim).map(Integer::parseInt).toList();
                        i++;
                    }
                    case "--workers" -> {
                        workers = Integer.parseInt(require(value, args[i]));
                        i++;
                    }
                    case "--min-samples" -> {
                        minSamples = (int) size(require(value, args[i]));
                        i++;
                    }
                    case "--lag-every" -> {
                        lagEvery = Integer.parseInt(require(value, args[i]));
                        i++;
                    }
                    case "--referrals" -> {
                        referrals = (int) size(require(value, args[i]));
                        i++;
                    }
                    case "--referral-rate" -> {
                        referralRate = Double.parseDouble(require(value, args[i]));
                        i++;
                    }
                    case "--dpo" -> {
                        dpo = (int) size(require(value, args[i]));
                        i++;
                    }
                    case "--ingest" -> {
                        ingest = (int) size(require(value, args[i]));
                        i++;
                    }
                    case "--audit" -> {
                        auditSizes = Stream.of(require(value, args[i]).split(",")).map(String::trim)
                                .filter(s -> !s.isEmpty()).map(Options::size).toList();
                        i++;
                    }
                    case "--csv" -> {
                        csv = Path.of(require(value, args[i])).toAbsolutePath();
                        i++;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + USAGE);
                }
            }
            if (clients.isEmpty() || clients.get(0) < 1 || referrals < 1 || ingest < 1 || workers < 1 || lagEvery < 1
                    || !(referralRate > 0) || open.stream().anyMatch(p -> p < 1)) {
                throw new IllegalArgumentException(
                        "clients, workers, lag-every, referrals, referral-rate, ingest and open percentages must be positive\n"
                                + USAGE);
            }
            return new Options(quick, clients, warmUp, duration, open, workers, Duration.ofSeconds(quick ? 2 : 5),
                    minSamples, lagEvery, referrals, referralRate, ingest, dpo, Duration.ofSeconds(quick ? 2 : 5),
                    quick ? 100_000 : 1_000_000, quick ? 300 : 2_000, auditSizes, csv, keep);
        }

        private static String require(String value, String option) {
            if (value == null) {
                throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
            }
            return value;
        }

        /** 100000, 100_000, 100k, 1m. */
        static long size(String text) {
            String s = text.trim().toLowerCase(Locale.ROOT).replace("_", "");
            long unit = s.endsWith("k") ? 1_000 : s.endsWith("m") ? 1_000_000 : 1;
            return Long.parseLong(unit == 1 ? s : s.substring(0, s.length() - 1)) * unit;
        }

        int maxClients() {
            return clients.get(clients.size() - 1);
        }
    }

    private final Suite suite;
    private final Options options;
    private final Api api = new Api();

    private static final String NOTE = "{\"kind\": \"CONVERSATION\", \"visibility\": \"CARE_TEAM\", "
            + "\"text\": \"Benchmark note: synthetic text, about no one.\"}";
    /** The notes of each case file the readers read: a small, fixed number, so that a read's size does not grow. */
    static final int NOTES_PER_READ_FILE = 5;

    /** The writers' case files (one per client) and the readers' (one per client, each with its notes). */
    private List<String> writeFiles;
    private List<String> readFiles;
    private final List<List<UUID>> readFileNotes = new ArrayList<>();
    /** Every note of the run answered with a 201 (the exact audit check looks each one up). */
    private final Queue<UUID> written = new ConcurrentLinkedQueue<>();
    /** Reads answered 200 (with all the file's notes), per readers' case file. */
    private AtomicLongArray readsPerFile;
    /** The audit lag's poller, during the largest write phase only. */
    private volatile AuditLag lag;

    /** An exact audit check: how many of what was expected were found, and a few that were not. */
    record Exact(long found, long expected, List<String> missing, String detail) {
        boolean all() {
            return found == expected;
        }
    }

    // The figures, as they are measured; a phase that failed leaves its own empty.
    private final Map<String, Duration> startTimes = new LinkedHashMap<>();
    private final Map<String, Long> rssIdle = new LinkedHashMap<>();
    private final Map<String, Long> rssLoaded = new LinkedHashMap<>();
    private Duration suiteReady;
    private double jvmStartMillis = Double.NaN;
    private final Map<Integer, References.Commits> pgSingle = new LinkedHashMap<>();
    private double pgBatchRows = Double.NaN;
    /** [pga]: audit records/s COPYed into audit-service's own schema (its tables and indexes), no service. */
    private double pgAuditRecords = Double.NaN;
    private double kafkaRate = Double.NaN;
    private Latency kafkaEndToEnd;
    private final Map<Integer, Load.Result> notes = new LinkedHashMap<>();
    private final Map<Integer, Load.Result> reads = new LinkedHashMap<>();
    /** Open-loop phases at the largest client count: the percentage of the closed-loop rate, the rate due, the result. */
    record Open(int percent, double due, Load.Result result) {
    }
    private final List<Open> openWrites = new ArrayList<>();
    private final List<Open> openReads = new ArrayList<>();
    private double auditCaughtUpSeconds = Double.NaN;
    private double readsCaughtUpSeconds = Double.NaN;
    private AuditLag.Figures auditLag;
    private Exact writeCheck;
    private Exact readCheck;
    /** Why the audit check failed, with a few of the missing ids; null when every record was found. */
    private String auditFailure;
    private Latency referral;
    private Latency referralSend;
    private double referralPrepared = Double.NaN;
    private double referralSent = Double.NaN;
    private long dpoTrailRecords = -1;
    private long dpoTreeSize = -1;
    private Latency dpoQuery;
    private Latency dpoReport;
    private Latency dpoInclusion;
    private double ingestPerSecond = Double.NaN;
    private double ingestProducedPerSecond = Double.NaN;
    private final List<AuditTreeBench.Figures> audit = new ArrayList<>();
    private Map<String, Double> cpuNotes;
    private Map<String, Double> cpuReads;
    private Map<String, Double> cpuIngest;

    private SuiteBench(Suite suite, Options options) {
        this.suite = suite;
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            boolean help = List.of(args).contains("--help") || List.of(args).contains("-h");
            (help ? System.out : System.err).println(e.getMessage());
            System.exit(help ? 0 : 2);
            return;
        }
        quietLogging();
        Path repository = Path.of(System.getProperty("ntk.repository", ".")).toAbsolutePath().normalize();
        Path home = Files.createTempDirectory("ntk-bench-suite");
        // The unpacked Keycloak is kept between runs like the end-to-end tests' (its first start builds it),
        // in a directory of its own so that a benchmark never shares one with a running test.
        Path keycloakHome = Path.of(System.getProperty("user.home"), ".cache", "need-to-know", "keycloak-bench");
        AtomicReference<Suite> running = new AtomicReference<>();
        AtomicBoolean finished = new AtomicBoolean();
        Thread interrupted = new Thread(() -> {
            if (!finished.get()) {
                stop(running);
                if (!options.keep()) {
                    delete(home);
                }
            }
        }, "bench-stop");
        Runtime.getRuntime().addShutdownHook(interrupted);

        SuiteBench bench = null;
        Exception failure = null;
        long started = System.nanoTime();
        try {
            progress("starting the suite on free ports (state and logs in " + home + ")");
            Suite suite = Suite.start(Suite.Settings.freePorts(repository, home), keycloakHome);
            running.set(suite);
            bench = new SuiteBench(suite, options);
            bench.suiteReady = Duration.ofNanos(System.nanoTime() - started);
            bench.run();
        } catch (Exception e) {
            failure = e;
        } finally {
            progress("stopping the suite");
            stop(running);
        }
        if (bench != null && failure == null) {
            try {
                for (long size : options.auditSizes()) {
                    progress("the audit trail at " + Table.count(size) + " records (a fresh PostgreSQL, loaded by COPY)");
                    bench.audit.add(AuditTreeBench.measure(size));
                }
            } catch (Exception e) {
                failure = e;
            }
        }
        if (!options.keep()) {
            delete(home);
        }
        finished.set(true);
        if (bench != null) {
            bench.print();
        }
        if (options.keep()) {
            System.out.println("\nState and logs kept in " + home);
        }
        if (failure == null && bench != null && bench.auditFailure != null) {
            System.err.println("\nAUDIT CHECK FAILED: " + bench.auditFailure);
            System.exit(1);
        }
        if (failure != null) {
            System.err.println("\nThe benchmark did not finish: " + failure);
            for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
                System.err.println("  caused by: " + cause);
            }
            System.exit(1);
        }
        System.exit(0);
    }

    private void run() throws Exception {
        for (String service : SERVICES) {
            startTimes.put(service, suite.service(service).timeToReady().orElseThrow());
        }
        sampleMemory(rssIdle);
        jvmStartMillis = References.jvmStartMillis();

        references();
        prepare();
        int max = options.maxClients();
        Cpu cpu = cpu();

        // The services' JIT compiles the note path first, so that the first phase does not pay for it.
        Duration jit = options.warmUp().multipliedBy(2);
        progress("warming up the note write path (" + clients(max) + ", " + jit.toSeconds() + " s)");
        Load.closed("note-write", tokens(max), noteWrite(), Duration.ZERO, jit, () -> {
        }, () -> {
        });
        for (int clients : options.clients()) {
            progress("note writes at " + clients(clients) + " (" + options.warmUp().toSeconds() + " s warm-up, "
                    + options.duration().toSeconds() + " s measured)");
            boolean largest = clients == max;
            if (largest) {
                lag = new AuditLag(auditDatabase(), options.lagEvery());
            }
            AtomicReference<Cpu.Snapshot> from = new AtomicReference<>();
            notes.put(clients, Load.closed("note-write", tokens(clients), noteWrite(), options.warmUp(), options.duration(),
                    options.minSamples(), () -> from.set(largest ? cpu.take() : null), () -> {
                        if (largest) {
                            cpuNotes = Cpu.cores(from.get(), cpu.take());
                            sampleMemory(rssLoaded);
                        }
                    }));
        }
        long lastWrite = System.nanoTime();
        progress("waiting for the audit trail to catch up with " + Table.count(written.size()) + " note writes");
        auditCaughtUpSeconds = awaitAuditQuiet(lastWrite);
        try (AuditLag poller = lag) {
            auditLag = poller.stop();
        } finally {
            lag = null;
        }

        progress("warming up the note read path (" + clients(max) + ", " + options.warmUp().toSeconds() + " s)");
        Load.closed("note-read", tokens(max), noteRead(), Duration.ZERO, options.warmUp(), () -> {
        }, () -> {
        });
        for (int clients : options.clients()) {
            progress("note reads at " + clients(clients) + " (" + options.warmUp().toSeconds() + " s warm-up, "
                    + options.duration().toSeconds() + " s measured)");
            boolean largest = clients == max;
            AtomicReference<Cpu.Snapshot> from = new AtomicReference<>();
            reads.put(clients, Load.closed("note-read", tokens(clients), noteRead(), options.warmUp(), options.duration(),
                    options.minSamples(), () -> from.set(largest ? cpu.take() : null), () -> {
                        if (largest) {
                            cpuReads = Cpu.cores(from.get(), cpu.take());
                        }
                    }));
        }
        long lastRead = System.nanoTime();
        progress("waiting for the audit trail to catch up with the reads");
        readsCaughtUpSeconds = awaitAuditQuiet(lastRead);

        openLoop("note-write", notes.get(max), noteWrite(), openWrites);
        openLoop("note-read", reads.get(max), noteRead(), openReads);
        if (!openWrites.isEmpty() || !openReads.isEmpty()) {
            progress("waiting for the audit trail to catch up with the open-loop phases");
            awaitAuditQuiet(System.nanoTime());
        }
        progress("exact audit check: every 201 note write's own record, every read note's records");
        writeCheck = checkWrites();
        readCheck = checkReads();
        List<String> failed = new ArrayList<>();
        if (!writeCheck.all()) {
            failed.add((writeCheck.expected() - writeCheck.found()) + " note writes answered 201 have not exactly one"
                    + " note.write record in the trail, e.g. notes " + writeCheck.missing());
        }
        if (!readCheck.all()) {
            failed.add(readCheck.detail() + ", e.g. notes " + readCheck.missing());
        }
        auditFailure = failed.isEmpty() ? null : String.join("; ", failed);

        referrals();
        awaitAuditQuiet(System.nanoTime());
        ingest();
        if (options.dpo() > 0) {
            awaitAuditQuiet(System.nanoTime());
            dpo();
        }
    }

    /** Open-loop phases at the largest client count, at the given percentages of the closed loop's rate. */
    private void openLoop(String what, Load.Result closed, Load.Request request, List<Open> into) throws Exception {
        if (closed == null || !(closed.perSecond() > 0)) {
            return;
        }
        for (int percent : options.openPercents()) {
            double due = closed.perSecond() * percent / 100;
            progress("open loop: " + what + " due at " + Table.count(due) + "/s (" + percent + " % of the closed loop at "
                    + clients(closed.clients()) + "), " + options.workers() + " workers ("
                    + options.openWarmUp().toSeconds() + " s warm-up, " + options.duration().toSeconds() + " s measured)");
            into.add(new Open(percent, due, Load.open(what, tokens(options.maxClients()), options.workers(), due, request,
                    options.openWarmUp(), options.duration())));
        }
    }

    /** A note write to the client's own case file; every 201's note id is kept, a sample of them timed to the trail. */
    private Load.Request noteWrite() {
        return (client, bearer, measured) -> {
            UUID id = UUID.fromString(api.post(writeFiles.get(client % writeFiles.size()) + "/notes", bearer, NOTE)
                    .id(201, "note write"));
            AuditLag sampling = lag;
            if (sampling != null && measured) {
                sampling.wrote(id);
            }
            written.add(id);
        };
    }

    /** A read of all notes of the client's own readers' case file: 200, with each of its notes. */
    private Load.Request noteRead() {
        return (client, bearer, measured) -> {
            int file = client % readFiles.size();
            Api.Response r = api.send("GET", readFiles.get(file) + "/notes", bearer, null);
            r.expect(200, "note read");
            int notes = occurrences(r.body(), "\"caseFileId\"");
            if (notes != NOTES_PER_READ_FILE) {
                throw new IllegalStateException("note read: " + notes + " notes (expected " + NOTES_PER_READ_FILE + ")");
            }
            readsPerFile.incrementAndGet(file);
        };
    }

    private static int occurrences(String text, String of) {
        int n = 0;
        for (int i = text.indexOf(of); i >= 0; i = text.indexOf(of, i + of.length())) {
            n++;
        }
        return n;
    }

    // --- the exact audit check ------------------------------------------------------------------

    /**
     * Every note answered with a 201 in this run (warm-ups, open loop and the readers' notes included)
     * must have its own note.write record (granted, resource type note, resource id the note's id) in
     * the trail. The trail's note.write records are streamed from the audit database (as its owner)
     * and each one's resource id struck off the set of notes written: what remains is missing.
     */
    /**
     * Each note answered 201 must have exactly one granted note.write record (resource type note, its
     * id): none is a write not audited, two a write audited twice (A1 and exactly-once storage).
     */
    private Exact checkWrites() throws SQLException {
        Map<String, Long> counts = new java.util.HashMap<>();
        long records = 0;
        try (Connection c = auditDatabase()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("""
                    select r ->> 'resourceId', count(*)
                    from (select cast(record as jsonb) r from audit_record
                          where action = 'note.write' and outcome = 'GRANTED') x
                    where r ->> 'resourceType' = 'note' group by 1""")) {
                s.setFetchSize(10_000);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        counts.put(r.getString(1), r.getLong(2));
                        records += r.getLong(2);
                    }
                }
            }
            c.commit();
        }
        java.util.Set<UUID> expected = new java.util.HashSet<>(written);
        long exact = 0;
        List<String> wrong = new ArrayList<>();
        for (UUID note : expected) {
            long have = counts.getOrDefault(note.toString(), 0L);
            if (have == 1) {
                exact++;
            } else if (wrong.size() < 5) {
                wrong.add(note + " (" + have + " records)");
            }
        }
        return new Exact(exact, expected.size(), wrong, Table.count(records) + " note.write records in the trail, "
                + Table.count(exact) + " of " + Table.count(expected.size()) + " notes answered 201 with exactly one");
    }

    /**
     * Each note of a readers' case file must have exactly as many granted note.read records (resource
     * type note, resource id the note's id) as there were 200 reads of that case file (each returns
     * all its notes): counted per note id, not per read (a read's records share its correlation id,
     * but matching each read to its records is not done).
     */
    private Exact checkReads() throws SQLException {
        Map<String, Long> counts = new java.util.HashMap<>();
        try (Connection c = auditDatabase()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("""
                    select r ->> 'resourceId', count(*)
                    from (select cast(record as jsonb) r from audit_record
                          where action = 'note.read' and outcome = 'GRANTED') x
                    where r ->> 'resourceType' = 'note' group by 1""");
                    ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    counts.put(r.getString(1), r.getLong(2));
                }
            }
            c.commit();
        }
        long notes = 0;
        long exact = 0;
        long expectedRecords = 0;
        long foundRecords = 0;
        long more = 0;
        long fewer = 0;
        List<String> short_ = new ArrayList<>();
        for (int f = 0; f < readFileNotes.size(); f++) {
            long want = readsPerFile.get(f);
            for (UUID note : readFileNotes.get(f)) {
                long have = counts.getOrDefault(note.toString(), 0L);
                notes++;
                expectedRecords += want;
                foundRecords += Math.min(have, want);
                if (have == want) {
                    exact++;
                } else if (have > want) {
                    more++;
                } else if (fewer++ < 5) {
                    short_.add(note + " (" + have + " of " + want + ")");
                }
            }
        }
        // Equality: a note with more records than the reads that returned it is a failure too.
        boolean complete = foundRecords == expectedRecords && more == 0;
        String detail = Table.count(foundRecords) + " of " + Table.count(expectedRecords) + " note.read records; "
                + Table.count(exact) + " of " + Table.count(notes) + " notes exact"
                + (more > 0 ? ", " + more + " with more records than 200 reads (a read whose answer failed)" : "");
        return new Exact(complete ? notes : exact, notes, short_, complete ? detail
                : "notes whose note.read records are not exactly the reads that returned them: " + detail);
    }

    // --- references -----------------------------------------------------------------------------

    private void references() throws Exception {
        progress("reference figures: PostgreSQL");
        suite.postgres().ensureDatabase("ntk_bench_scratch", "ntk_bench_scratch", "bench-only-scratch");
        String url = suite.postgres().jdbcUrl("ntk_bench_scratch");
        for (int clients : options.clients()) {
            pgSingle.put(clients, References.singleRowCommits(url, "ntk_bench_scratch", "bench-only-scratch", clients,
                    options.pgDuration()));
        }
        pgBatchRows = References.batchRows(url, "ntk_bench_scratch", "bench-only-scratch", options.pgDuration());
        if (options.ingest() > 0) {
            try (java.sql.Connection audit = suite.connectAsSuperuser(suite.spec("audit-service").database())) {
                pgAuditRecords = References.auditSchemaRecords(audit, options.pgDuration());
            }
        }

        progress("reference figures: Kafka");
        Map<String, Object> admin = suite.kafka().adminConfig();
        References.createTopics(admin, Map.of("bench.reference.producer", 3, "bench.reference.latency", 1));
        kafkaRate = References.producerRate(admin, "bench.reference.producer", options.kafkaRecords());
        kafkaEndToEnd = References.brokerEndToEnd(admin, "bench.reference.latency", options.kafkaSamples());
    }

    // --- note writes ----------------------------------------------------------------------------

    /**
     * Imports the bench's pupils as the school's platform (twice as many as the largest client count);
     * opens a case file for each, with its notice (S1): the first half for the writers (one per
     * client), the second for the readers, each of these with {@value #NOTES_PER_READ_FILE} notes.
     */
    private void prepare() throws Exception {
        int max = options.maxClients();
        progress("preparing " + max + " case files for the writers and " + max + " for the readers ("
                + NOTES_PER_READ_FILE + " notes each)");
        DemoData.load(suite);
        String caseService = suite.serviceUrl("case-service");
        String platform = Api.Token.ofClient(suite.keycloak().tokenEndpoint(), SCHOOL_SYSTEM).get();
        StringBuilder pupils = new StringBuilder("{\"pupils\": [");
        for (int i = 1; i <= 2 * max + DPO_REPORT_PUPILS; i++) {
            // With the family's contacts, as a platform imports them: a referral sent with consent has
            // case-service mail the family a notice (T1, T3), to the stack's mail server.
            pupils.append(i == 1 ? "" : ",").append("{\"pupilId\": \"").append(pupil(i))
                    .append("\", \"givenName\": \"Bench\", \"familyName\": \"Pupil ").append(i)
                    .append("\", \"birthDate\": \"2012-03-14\", \"classGroup\": \"2A\", \"parents\": [{\"name\": \"Parent ")
                    .append(i).append("\", \"email\": \"parent-").append(pupil(i)).append("@example.org\"}], \"pupilEmail\": \"")
                    .append(pupil(i)).append("@leerling.example.org\"}");
        }
        api.put(caseService + "/pupils", platform, pupils.append("]}").toString()).expect(200, "pupil import");
        String counsellor = Api.Token.ofUser(suite.keycloak().tokenEndpoint(), COUNSELLOR).get();
        String notice = "{\"givenAt\": \"" + Instant.now().minusSeconds(3600) + "\", \"how\": \"SPOKEN\"}";
        List<String> files = new ArrayList<>();
        for (int i = 1; i <= 2 * max; i++) {
            String id = api.post(caseService + "/case-files", counsellor, "{\"pupilId\": \"" + pupil(i)
                    + "\", \"reason\": \"Benchmark case file\"}").id(201, "case file");
            String url = caseService + "/case-files/" + id;
            api.post(url + "/confidentiality-notices", counsellor, notice).expect(201, "confidentiality notice");
            files.add(url);
        }
        writeFiles = files.subList(0, max);
        readFiles = files.subList(max, 2 * max);
        readsPerFile = new AtomicLongArray(max);
        for (String file : readFiles) {
            List<UUID> ids = new ArrayList<>();
            for (int n = 0; n < NOTES_PER_READ_FILE; n++) {
                UUID id = UUID.fromString(api.post(file + "/notes", counsellor, NOTE).id(201, "note write"));
                written.add(id);
                ids.add(id);
            }
            readFileNotes.add(ids);
        }
        if (options.dpo() > 0) {
            // The pupils of the DPO's access reports: a case file each, its notice and notes, about 50 records.
            AtomicInteger next = new AtomicInteger(2 * max + 1);
            AtomicReference<Exception> failure = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                Thread t = new Thread(() -> {
                    try {
                        for (int i = next.getAndIncrement(); i <= 2 * max + DPO_REPORT_PUPILS && failure.get() == null;
                                i = next.getAndIncrement()) {
                            String id = api.post(caseService + "/case-files", counsellor, "{\"pupilId\": \"" + pupil(i)
                                    + "\", \"reason\": \"Benchmark case file\"}").id(201, "case file");
                            String url = caseService + "/case-files/" + id;
                            api.post(url + "/confidentiality-notices", counsellor, notice).expect(201, "confidentiality notice");
                            for (int n = 2; n < DPO_REPORT_RECORDS; n++) {
                                written.add(UUID.fromString(api.post(url + "/notes", counsellor, NOTE).id(201, "note write")));
                            }
                        }
                    } catch (Exception e) {
                        failure.compareAndSet(null, e);
                    }
                }, "dpo-pupils-" + w);
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                t.join();
            }
            if (failure.get() != null) {
                throw new IllegalStateException("preparing the DPO's pupils failed", failure.get());
            }
        }
    }

    /** One token per client, each the counsellor's own login. */
    private List<Api.Token> tokens(int clients) {
        List<Api.Token> tokens = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            tokens.add(Api.Token.ofUser(suite.keycloak().tokenEndpoint(), COUNSELLOR));
        }
        return tokens;
    }

    private static String pupil(int i) {
        return String.format(Locale.ROOT, "bench-%03d", i);
    }

    // --- referrals ------------------------------------------------------------------------------

    /**
     * Referrals to CLB Gent, timed from the moment each send was due to the moment CLB Gent's
     * consumer holds the event (ce_subject referral/&lt;id&gt;). First, untimed, 8 clients prepare
     * them all as in the walkthrough (create, items, consent of pupil and parents); then the sends
     * run as an open loop: due at a constant rate, sent by 16 workers, each latency from the time the
     * send was due (coordinated omission corrected). The consumer reads as the reference subscriber
     * does: CLB Gent's own principal, its own topic, a group of its own prefix, polls of 200 ms, a
     * synchronous commit after each poll.
     */
    private void referrals() throws Exception {
        int warmUp = Math.max(1, Math.min(100, options.referrals() / 20));
        int total = warmUp + options.referrals();
        Map<String, CompletableFuture<Long>> arrivals = new ConcurrentHashMap<>();
        CompletableFuture<Void> assigned = new CompletableFuture<>();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicReference<Exception> consumerFailure = new AtomicReference<>();
        Map<String, Object> config = new java.util.HashMap<>(suite.kafka().clientConfig(CLB,
                KafkaAccess.developmentPassword(CLB)));
        config.put(ConsumerConfig.GROUP_ID_CONFIG, CLB + ".bench");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        Thread consumerThread = new Thread(() -> {
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
                consumer.subscribe(List.of("ntk.referrals." + CLB + ".v1"), new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(java.util.Collection<TopicPartition> partitions) {
                    }

                    @Override
                    public void onPartitionsAssigned(java.util.Collection<TopicPartition> partitions) {
                        assigned.complete(null);
                    }
                });
                while (running.get()) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        long now = System.nanoTime();
                        Header subject = record.headers().lastHeader("ce_subject");
                        String s = subject == null ? "" : new String(subject.value(), StandardCharsets.UTF_8);
                        if (s.startsWith("referral/")) {
                            arrivals.computeIfAbsent(s.substring("referral/".length()), k -> new CompletableFuture<>())
                                    .complete(now);
                        }
                    }
                    consumer.commitSync();
                }
            } catch (Exception e) {
                consumerFailure.set(e);
                assigned.completeExceptionally(e);
            }
        }, "clb-gent-consumer");
        consumerThread.start();
        try {
            assigned.get(60, TimeUnit.SECONDS);
            String referralService = suite.serviceUrl("referral-service");
            progress("preparing " + Table.count(total) + " referrals (create, items, consent) with 8 clients, untimed");
            String[] ids = new String[total];
            AtomicInteger next = new AtomicInteger();
            AtomicReference<Exception> failure = new AtomicReference<>();
            List<Thread> preparers = new ArrayList<>();
            long prepared = System.nanoTime();
            for (int w = 0; w < 8; w++) {
                Api.Token token = Api.Token.ofUser(suite.keycloak().tokenEndpoint(), COUNSELLOR);
                Thread t = new Thread(() -> {
                    try {
                        for (int i = next.getAndIncrement(); i < total && failure.get() == null; i = next.getAndIncrement()) {
                            ids[i] = prepareReferral(referralService, token.get(), pupil(1 + i % options.maxClients()));
                        }
                    } catch (Exception e) {
                        failure.compareAndSet(null, e);
                    }
                }, "referral-preparer-" + w);
                t.start();
                preparers.add(t);
            }
            for (Thread t : preparers) {
                t.join();
            }
            if (failure.get() != null) {
                throw new IllegalStateException("preparing referrals failed", failure.get());
            }
            referralPrepared = total / ((System.nanoTime() - prepared) / 1e9);

            double rate = options.referralRate();
            progress("referral sends, open loop: " + Table.count(total) + " due at " + Table.count(rate)
                    + "/s (the first " + warmUp + " untimed), each timed to CLB Gent's consumer");
            long[] due = new long[total];
            long[] answered = new long[total];
            List<CompletableFuture<Long>> arrival = new ArrayList<>();
            for (String id : ids) {
                arrival.add(arrivals.computeIfAbsent(id, k -> new CompletableFuture<>()));
            }
            Api.Token token = Api.Token.ofUser(suite.keycloak().tokenEndpoint(), COUNSELLOR);
            token.get();
            AtomicInteger scheduled = new AtomicInteger();
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
            List<Thread> senders = new ArrayList<>();
            for (int w = 0; w < 16; w++) {
                Thread t = new Thread(() -> {
                    try {
                        for (int i = scheduled.getAndIncrement(); i < total && failure.get() == null;
                                i = scheduled.getAndIncrement()) {
                            due[i] = start + Math.round(i * 1e9 / rate);
                            Load.sleepUntilQuietly(due[i]);
                            api.post(referralService + "/referrals/" + ids[i] + "/send", token.get(), null)
                                    .expect(200, "send");
                            answered[i] = System.nanoTime();
                        }
                    } catch (Exception e) {
                        failure.compareAndSet(null, e);
                    }
                }, "referral-sender-" + w);
                t.start();
                senders.add(t);
            }
            for (Thread t : senders) {
                t.join();
            }
            if (failure.get() != null) {
                throw new IllegalStateException("sending referrals failed", failure.get());
            }
            Latency endToEnd = new Latency();
            Latency send = new Latency();
            long last = 0;
            for (int i = 0; i < total; i++) {
                long t1;
                try {
                    t1 = arrival.get(i).get(30, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    throw new IllegalStateException("a sent referral did not reach CLB Gent's consumer within 30 s",
                            consumerFailure.get());
                }
                last = Math.max(last, answered[i]);
                if (i >= warmUp) {
                    endToEnd.record(t1 - due[i]);
                    send.record(answered[i] - due[i]);
                }
            }
            referralSent = total / ((last - start) / 1e9);
            referral = endToEnd;
            referralSend = send;
        } finally {
            running.set(false);
            consumerThread.join(10_000);
        }
    }

    /** A referral ready to send, as in the walkthrough: created, its items chosen, consent recorded; its id. */
    private String prepareReferral(String referralService, String bearer, String pupil) throws Exception {
        // The pupil's age (14, from the import above) is the register's: case-service is asked (M1).
        String id = api.post(referralService + "/referrals", bearer, "{\"pupilId\": \"" + pupil
                + "\", \"recipientId\": \"" + CLB + "\"}").id(201, "referral");
        String url = referralService + "/referrals/" + id;
        api.put(url + "/items", bearer, """
                {"items": [
                  {"type": "QUESTION", "purpose": "what we ask the CLB", "text": "Benchmark question."},
                  {"type": "PUPIL", "purpose": "to contact the pupil", "givenName": "Bench", "familyName": "Pupil",
                   "birthDate": "2012-03-14"},
                  {"type": "CONTACT", "purpose": "to reach the school", "name": "Bart Claes",
                   "email": "bart.counsellor@school-sint-jan.example"}]}""").expect(200, "referral items");
        api.post(url + "/consent", bearer, """
                {"consulted": [
                  {"party": "PUPIL", "when": "2026-11-24T10:00:00Z", "how": "conversation at school", "answer": "AGREED"},
                  {"party": "PARENTS", "when": "2026-11-24T18:00:00Z", "how": "phone call", "answer": "AGREED"}],
                 "parentsNotInformed": false}""").expect(200, "consent");
        return id;
    }

    // --- audit ingest ---------------------------------------------------------------------------

    /**
     * Produces audit records to ntk.audit.v1 as case-service's principal, as fast as the producer
     * takes them, and measures how fast audit-service stores them: from the first poll (every
     * 100 ms, in the audit database) that finds some stored to the one that finds them all.
     */
    private void ingest() throws Exception {
        int total = options.ingest();
        progress("audit ingest through Kafka (" + Table.count(total) + " records)");
        long after = queryLong("ntk_audit", "select coalesce(max(position), 0) from audit_record");
        Map<String, Object> config = References.producerConfig(suite.kafka().clientConfig("case-service",
                KafkaAccess.developmentPassword("case-service")));
        AtomicReference<Exception> producerFailure = new AtomicReference<>();
        AtomicReference<Double> produced = new AtomicReference<>(Double.NaN);
        Thread producerThread = new Thread(() -> {
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
                producer.partitionsFor("ntk.audit.v1");
                Random random = new Random(11);
                String[] pseudonyms = new String[1000];
                for (int i = 0; i < pseudonyms.length; i++) {
                    byte[] b = new byte[32];
                    random.nextBytes(b);
                    pseudonyms[i] = HexFormat.of().formatHex(b);
                }
                long start = System.nanoTime();
                for (int i = 0; i < total; i++) {
                    String pseudonym = pseudonyms[i % pseudonyms.length];
                    String id = UUID.randomUUID().toString();
                    ProducerRecord<String, String> record = new ProducerRecord<>("ntk.audit.v1", pseudonym,
                            auditRecord(pseudonym));
                    record.headers().add("ce_specversion", bytes("1.0")).add("ce_id", bytes(id))
                            .add("ce_type", bytes("be.needtoknow.audit.record.v1")).add("ce_source", bytes("/case-service"))
                            .add("content-type", bytes("application/json"));
                    producer.send(record, (metadata, e) -> {
                        if (e != null) {
                            producerFailure.compareAndSet(null, e);
                        }
                    });
                }
                producer.flush();
                produced.set(total / ((System.nanoTime() - start) / 1e9));
            } catch (Exception e) {
                producerFailure.compareAndSet(null, e);
            }
        }, "audit-producer");
        producerThread.start();

        // Progress by the highest position (an index lookup, cheap while ingest runs); the count itself once it seems done.
        String highest = "select coalesce(max(position), 0) - " + after + " from audit_record";
        String count = "select count(*) from audit_record where position > " + after;
        Cpu cpu = cpu();
        try (Connection c = auditDatabase(); Statement s = c.createStatement()) {
            Cpu.Snapshot from = null;
            boolean exact = false;
            long first = 0;
            long firstCount = 0;
            long stored = 0;
            long lastProgress = System.nanoTime();
            while (true) {
                Thread.sleep(100);
                long n = single(s, exact ? count : highest);
                long now = System.nanoTime();
                if (n >= total && !exact) {
                    // Positions may have gaps (a rolled-back batch): from here on, count.
                    exact = true;
                    n = single(s, count);
                }
                if (n > stored) {
                    lastProgress = now;
                }
                if (first == 0 && n > 0) {
                    first = now;
                    firstCount = n;
                    from = cpu.take();
                }
                stored = n;
                if (exact && stored >= total) {
                    ingestPerSecond = stored == firstCount ? Double.NaN : (stored - firstCount) / ((now - first) / 1e9);
                    cpuIngest = Cpu.cores(from, cpu.take());
                    break;
                }
                if (producerFailure.get() != null) {
                    throw new IllegalStateException("producing audit records failed", producerFailure.get());
                }
                if (now - lastProgress > TimeUnit.SECONDS.toNanos(60)) {
                    throw new IllegalStateException("audit ingest stalled at " + stored + " of " + total
                            + " records for 60 s (see audit-service's log)");
                }
            }
        } finally {
            producerThread.join();
        }
        ingestProducedPerSecond = produced.get();
    }

    /** An audit record of about 600 bytes, in the shape of deploy/asyncapi.yaml's AuditRecord. */
    private static String auditRecord(String pseudonym) {
        return "{\"occurredAt\": \"" + Instant.now() + "\", \"service\": \"case-service\", "
                + "\"actor\": {\"subject\": \"bench-subject\", \"username\": \"bench.counsellor\", \"role\": \"pupil-counsellor\", "
                + "\"organisationId\": \"school-bench\", \"organisationType\": \"school\"}, "
                + "\"action\": \"case-file.read\", \"organisationId\": \"school-bench\", \"pupilPseudonym\": \"" + pseudonym
                + "\", \"resourceType\": \"case-file\", \"resourceId\": \"" + UUID.randomUUID()
                + "\", \"purpose\": \"pupil guidance\", \"legalBasis\": \"legal-task\", \"outcome\": \"GRANTED\", "
                + "\"correlationId\": \"" + UUID.randomUUID() + "\"}";
    }

    private static long single(Statement s, String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // --- the DPO through the HTTP API ------------------------------------------------------------

    /**
     * The DPO (frank.dpo, a real token) through audit-service's HTTP API, on the trail as the run
     * left it, one request after the other: the search by pupil (the first page of 50 records of a
     * writer's pupil, who has thousands), the access report of a pupil with about 50 records (each
     * report adds one: {@value #DPO_REPORT_PUPILS} pupils in turn, so each grows by a tenth of the
     * reports' number ÷ {@value #DPO_REPORT_PUPILS}), and inclusion proofs of random records of the
     * DPO's school against a checkpoint the DPO signs first. Each request is itself audited, as in use.
     */
    private void dpo() throws Exception {
        int n = options.dpo();
        int reports = Math.max(DPO_REPORT_PUPILS, n / 10);
        String audit = suite.serviceUrl("audit-service");
        Api.Token token = Api.Token.ofUser(suite.keycloak().tokenEndpoint(), DPO);
        dpoTrailRecords = queryLong("ntk_audit", "select count(*) from audit_record");
        progress("the DPO through the HTTP API, trail at " + Table.count(dpoTrailRecords) + " records: " + n
                + " searches by pupil, " + reports + " access reports, " + n + " inclusion proofs");
        String checkpoint = api.send("POST", audit + "/audit-log/checkpoints", token.get(), null).expectBody(200, "checkpoint");
        dpoTreeSize = Long.parseLong(checkpoint.split("\n")[1].trim());
        List<Long> leaves = new ArrayList<>();
        try (Connection c = auditDatabase(); PreparedStatement s = c.prepareStatement(
                "select leaf_index from audit_record where organisation_id = ? and leaf_index < ? order by random() limit 5000")) {
            s.setString(1, SCHOOL);
            s.setLong(2, dpoTreeSize);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    leaves.add(r.getLong(1));
                }
            }
        }
        if (leaves.isEmpty()) {
            throw new IllegalStateException("no record of " + SCHOOL + " in the checkpointed tree");
        }
        int warmUp = Math.max(10, n / 20);
        Latency query = new Latency();
        for (int i = 0; i < warmUp + n; i++) {
            String pupil = pupil(1 + i % options.maxClients());
            String bearer = token.get();
            long t0 = System.nanoTime();
            String body = api.getJson(audit + "/audit-records?pupilId=" + pupil + "&size=50", bearer).expectBody(200,
                    "search by pupil");
            long t1 = System.nanoTime();
            int found = occurrences(body, "\"leafIndex\"");
            if (found != 50) {
                throw new IllegalStateException("search by pupil: " + found + " records (expected a page of 50)");
            }
            if (i >= warmUp) {
                query.record(t1 - t0);
            }
        }
        dpoQuery = query;
        Latency report = new Latency();
        for (int i = 0; i < DPO_REPORT_PUPILS + reports; i++) {
            String pupil = pupil(2 * options.maxClients() + 1 + i % DPO_REPORT_PUPILS);
            String bearer = token.get();
            long t0 = System.nanoTime();
            api.getJson(audit + "/audit-records/pupils/" + pupil + "/report", bearer).expectBody(200, "access report");
            long t1 = System.nanoTime();
            if (i >= DPO_REPORT_PUPILS) {
                report.record(t1 - t0);
            }
        }
        dpoReport = report;
        Latency inclusion = new Latency();
        for (int i = 0; i < warmUp + n; i++) {
            long leaf = leaves.get(i % leaves.size());
            String bearer = token.get();
            long t0 = System.nanoTime();
            api.getJson(audit + "/audit-log/proofs/inclusion?leafIndex=" + leaf, bearer).expectBody(200, "inclusion proof");
            long t1 = System.nanoTime();
            if (i >= warmUp) {
                inclusion.record(t1 - t0);
            }
        }
        dpoInclusion = inclusion;
    }

    // --- the suite's databases and processes -------------------------------------------------------

    private ServiceSpec spec(String name) {
        return suite.settings().services().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    /** A service's database, as its owner. */
    private Connection database(String service) throws SQLException {
        ServiceSpec spec = spec(service);
        return DriverManager.getConnection("jdbc:postgresql://" + suite.settings().postgresAddress() + "/" + spec.database(),
                spec.user(), spec.password());
    }

    private Connection auditDatabase() throws SQLException {
        return database("audit-service");
    }

    private long queryLong(String database, String sql) throws SQLException {
        String service = SERVICES.stream().filter(s -> spec(s).database().equals(database)).findFirst().orElseThrow();
        try (Connection c = database(service); PreparedStatement s = c.prepareStatement(sql); ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }

    /**
     * Waits until every outbox is empty and the audit trail stopped growing (2 s without a new
     * record); returns the seconds from {@code since} to the last record stored.
     */
    private double awaitAuditQuiet(long since) throws Exception {
        Map<String, Connection> connections = new LinkedHashMap<>();
        try {
            for (String service : SERVICES) {
                connections.put(service, database(service));
            }
            long last = -1;
            long lastChange = System.nanoTime();
            long deadline = lastChange + TimeUnit.MINUTES.toNanos(15);
            while (true) {
                long unsent = 0;
                for (Connection c : connections.values()) {
                    try (Statement s = c.createStatement();
                            ResultSet r = s.executeQuery("select count(*) from outbox_event where sent_at is null")) {
                        r.next();
                        unsent += r.getLong(1);
                    }
                }
                long position;
                try (Statement s = connections.get("audit-service").createStatement();
                        ResultSet r = s.executeQuery("select coalesce(max(position), 0) from audit_record")) {
                    r.next();
                    position = r.getLong(1);
                }
                long now = System.nanoTime();
                if (position != last) {
                    last = position;
                    lastChange = now;
                }
                if (unsent == 0 && now - lastChange >= TimeUnit.SECONDS.toNanos(2)) {
                    return Math.max(0, (lastChange - since) / 1e9);
                }
                if (now > deadline) {
                    throw new IllegalStateException("the audit trail did not catch up within 15 minutes (" + unsent
                            + " events unsent)");
                }
                Thread.sleep(200);
            }
        } finally {
            for (Connection c : connections.values()) {
                c.close();
            }
        }
    }

    /** The suite's parts, for the processor time they use. */
    private Cpu cpu() {
        Map<String, java.util.function.Supplier<List<Long>>> parts = new LinkedHashMap<>();
        for (String service : SERVICES) {
            long pid = suite.service(service).pid();
            parts.put(service, () -> Cpu.tree(pid));
        }
        Path postmaster = suite.settings().home().resolve("postgres").resolve("postmaster.pid");
        parts.put("PostgreSQL", () -> {
            try {
                return Cpu.tree(Long.parseLong(Files.readAllLines(postmaster).get(0).trim()));
            } catch (IOException | RuntimeException e) {
                return List.of();
            }
        });
        long keycloak = suite.keycloak().pid();
        parts.put("Keycloak", () -> Cpu.tree(keycloak));
        // The broker runs in a process of its own (found again after a restart).
        parts.put("Kafka broker", () -> List.of(suite.kafka().pid()));
        // This JVM alone (its children are the parts above): the benchmark's own load clients.
        long self = ProcessHandle.current().pid();
        parts.put("launcher (load clients)", () -> List.of(self));
        return Cpu.of(parts);
    }

    private void sampleMemory(Map<String, Long> into) {
        for (String service : SERVICES) {
            into.put(service, residentKib(suite.service(service).pid()));
        }
    }

    /** VmRSS of /proc/&lt;pid&gt;/status, in KiB; -1 where there is no /proc. */
    static long residentKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or the process is gone
        }
        return -1;
    }

    // --- the table ----------------------------------------------------------------------------------

    private void print() {
        Table t = new Table();
        References.Commits top = pgSingle.get(options.maxClients());
        t.section("Reference figures of this machine, same run (the suite's own PostgreSQL and Kafka broker)");
        for (References.Commits c : pgSingle.values()) {
            t.row("[pg" + c.clients() + "] PostgreSQL single-row insert commits/s, " + clients(c.clients()),
                    Table.count(c.perSecond()));
            t.row("[pg" + c.clients() + "] the same: commit latency, ms p50 / p99",
                    Table.times(c.latency().p50(), c.latency().p99()));
        }
        if (!Double.isNaN(pgBatchRows)) {
            t.row("[pgb] PostgreSQL rows/s in 100-row transactions, 1 client, " + References.RECORD_BYTES + " B rows",
                    Table.count(pgBatchRows));
        }
        if (!Double.isNaN(pgAuditRecords)) {
            t.row("[pga] PostgreSQL audit records/s in audit-service's schema (audit_record and merkle_node, every index), "
                    + References.AUDIT_BATCH + " per COPY transaction, 1 client", Table.count(pgAuditRecords));
        }
        if (!Double.isNaN(kafkaRate)) {
            t.row("[kp] Kafka producer records/s, " + References.RECORD_BYTES + " B, acks=all, 1 producer",
                    Table.count(kafkaRate));
        }
        if (kafkaEndToEnd != null) {
            t.row("[ke] Kafka broker end to end (send → poll), one record at a time, ms p50 / p99",
                    Table.times(kafkaEndToEnd.p50(), kafkaEndToEnd.p99()));
        }
        if (!Double.isNaN(jvmStartMillis)) {
            t.row("[jvm] a bare JVM's start to exit (java -version), ms", Table.time(jvmStartMillis));
        }

        t.section("The suite: " + options.clients().stream().map(String::valueOf).reduce((a, b) -> a + "/" + b).orElse("")
                + " note clients, " + options.warmUp().toSeconds() + " s warm-up + " + options.duration().toSeconds()
                + " s each" + (options.quick() ? " (QUICK: a smoke run, not figures)" : ""));
        closedRows(t, "note writes", notes);
        closedRows(t, "audited note reads (" + NOTES_PER_READ_FILE + " notes, " + NOTES_PER_READ_FILE + " audit records each)",
                reads);
        if (writeCheck != null) {
            t.row("note writes answered 201 (whole run) with their own note.write record in the trail",
                    Table.count(writeCheck.found()) + " of " + Table.count(writeCheck.expected()), "", "", "", "all",
                    Table.met(writeCheck.all()));
            t.row("note reads: notes with as many note.read records as 200 reads returned them",
                    Table.count(readCheck.found()) + " of " + Table.count(readCheck.expected()), "", "", "", "all",
                    Table.met(readCheck.all()));
        }
        if (!Double.isNaN(auditCaughtUpSeconds)) {
            t.row("the trail caught up after the last closed-loop note write, s", Table.time(auditCaughtUpSeconds));
            t.row("the trail caught up after the last closed-loop note read, s", Table.time(readsCaughtUpSeconds));
        }
        if (auditLag != null) {
            String n = Table.count(auditLag.visible().count()) + (auditLag.unseen() > 0 ? " (" + auditLag.unseen()
                    + " unseen)" : "");
            boolean targeted = options.maxClients() == 32;
            t.row("audit lag, " + clients(options.maxClients()) + " writing: 201 → record in the trail (polled every "
                    + AuditLag.POLL.toMillis() + " ms), ms p50 / p99 / max", Table.times(auditLag.visible().p50(),
                            auditLag.visible().p99(), auditLag.visible().max()), n, "none", "",
                    targeted ? "p99 ≤ 1,000" : "", targeted ? Table.met(auditLag.visible().p99() <= 1000
                            && auditLag.unseen() == 0) : "");
            t.row("  of which 201 → audit-service's received_at (before its insert), ms p50 / p99 / max",
                    Table.times(auditLag.received().p50(), auditLag.received().p99(), auditLag.received().max()),
                    Table.count(auditLag.received().count()) + (auditLag.receivedBefore201() > 0 ? " ("
                            + auditLag.receivedBefore201() + " ≤ 0)" : ""), "none", "", "", "");
        }
        openRows(t, "note writes", openWrites);
        openRows(t, "audited note reads", openReads);
        if (referral != null) {
            t.row("referral: send due → CLB Gent's consumer holds the event, open loop at " + Table.count(options.referralRate())
                    + "/s, ms p50 / p99", Table.times(referral.p50(), referral.p99()), Table.count(referral.count()), "ke",
                    Table.ratios(referral.p50(), referral.p99(), kafkaEndToEnd.p50(), kafkaEndToEnd.p99()), "p99 ≤ 50",
                    Table.met(referral.p99() <= 50));
            t.row("  of which the send request's answer (from when it was due), ms p50 / p99",
                    Table.times(referralSend.p50(), referralSend.p99()), Table.count(referralSend.count()), "", "", "", "");
            t.row("  referral sends achieved/s", Table.count(referralSent));
            t.row("  referrals prepared (create, items, consent; 8 clients, untimed)/s", Table.count(referralPrepared));
        }
        if (!Double.isNaN(ingestPerSecond)) {
            t.row("audit ingest through Kafka, records/s stored, sustained (" + Table.count(options.ingest()) + ")",
                    Table.count(ingestPerSecond), "pga", Table.ratio(ingestPerSecond, pgAuditRecords), "≥ 20,000",
                    Table.met(ingestPerSecond >= 20_000));
            t.row("  produced as case-service, records/s", Table.count(ingestProducedPerSecond), "kp",
                    Table.ratio(ingestProducedPerSecond, kafkaRate), "", "");
        }
        if (dpoInclusion != null) {
            References.Commits pg1 = pgSingle.get(options.clients().get(0));
            t.row("DPO via HTTP: records in the trail / tree size of the DPO's checkpoint for the proofs",
                    Table.count(dpoTrailRecords) + " / " + Table.count(dpoTreeSize));
            String ref = pg1 == null ? "" : "pg" + pg1.clients() + " latency";
            t.row("DPO via HTTP, search by pupil (first page of 50), ms p50 / p99",
                    Table.times(dpoQuery.p50(), dpoQuery.p99()), Table.count(dpoQuery.count()), ref,
                    pg1 == null ? "" : Table.ratios(dpoQuery.p50(), dpoQuery.p99(), pg1.latency().p50(), pg1.latency().p99()),
                    "p99 ≤ 200", Table.met(dpoQuery.p99() <= 200));
            t.row("DPO via HTTP, access report of a pupil (about " + DPO_REPORT_RECORDS + " records), ms p50 / p99",
                    Table.times(dpoReport.p50(), dpoReport.p99()), Table.count(dpoReport.count()), ref,
                    pg1 == null ? "" : Table.ratios(dpoReport.p50(), dpoReport.p99(), pg1.latency().p50(), pg1.latency().p99()),
                    "", "");
            t.row("DPO via HTTP, inclusion proof of a random record of the school, ms p50 / p99",
                    Table.times(dpoInclusion.p50(), dpoInclusion.p99()), Table.count(dpoInclusion.count()), ref,
                    pg1 == null ? "" : Table.ratios(dpoInclusion.p50(), dpoInclusion.p99(), pg1.latency().p50(),
                            pg1.latency().p99()), "p99 ≤ 10", Table.met(dpoInclusion.p99() <= 10));
        }
        if (suiteReady != null) {
            t.row("the whole suite ready (Keycloak, PostgreSQL, Kafka, services), s", Table.time(suiteReady.toMillis() / 1e3));
        }
        for (Map.Entry<String, Duration> e : startTimes.entrySet()) {
            double ms = e.getValue().toMillis();
            t.row(e.getKey() + " start: process start → ready (3 in parallel), s", Table.time(ms / 1e3), "jvm",
                    Table.ratio(ms, jvmStartMillis), "", "");
        }
        for (String service : SERVICES) {
            if (rssIdle.containsKey(service)) {
                t.row(service + " resident memory, MiB: idle / end of " + clients(options.maxClients()) + " note phase",
                        mib(rssIdle.get(service)) + " / " + (rssLoaded.containsKey(service) ? mib(rssLoaded.get(service)) : "–"));
            }
        }

        if (!audit.isEmpty()) {
            t.section("The audit trail at scale: a fresh PostgreSQL per size, loaded by COPY, the service's own SQL and code");
            for (AuditTreeBench.Figures f : audit) {
                String at = " at " + scale(f.records());
                boolean ten = f.records() >= 10_000_000;
                double c = f.commitMillis();
                t.row("[pg1'] single-row insert commits/s, 1 client, on that database" + at, Table.count(f.reference1()));
                double q50 = AuditTreeBench.percentile(f.query(), 50);
                double q99 = AuditTreeBench.percentile(f.query(), 99);
                t.row("DPO query by pupil (50 records)" + at + ", ms p50 / p99", Table.times(q50, q99), "pg1' commit",
                        Table.ratios(q50, q99, c, c), ten ? "p99 ≤ 200" : "", ten ? Table.met(q99 <= 200) : "");
                double i50 = AuditTreeBench.percentile(f.inclusion(), 50);
                double i99 = AuditTreeBench.percentile(f.inclusion(), 99);
                t.row("inclusion proof" + at + ", ms p50 / p99", Table.times(i50, i99), "pg1' commit",
                        Table.ratios(i50, i99, c, c), ten ? "p99 ≤ 10" : "", ten ? Table.met(i99 <= 10) : "");
                double c50 = AuditTreeBench.percentile(f.consistency(), 50);
                double c99 = AuditTreeBench.percentile(f.consistency(), 99);
                t.row("consistency proof" + at + ", ms p50 / p99", Table.times(c50, c99), "pg1' commit",
                        Table.ratios(c50, c99, c, c), ten ? "p99 ≤ 10" : "", ten ? Table.met(c99 <= 10) : "");
                boolean million = f.records() == 1_000_000;
                t.row("full verification of " + scale(f.records()) + " records, s", Table.time(f.verifySeconds()),
                        "pg1' × records", Table.ratio(f.verifySeconds() * 1000, c * f.records()),
                        million ? "≤ 5" : "", million ? Table.met(f.verifySeconds() <= 5) : "");
                t.row("the monitor's incremental verification of the last " + scale(f.incrementalRecords()) + " records"
                        + at + ", ms", Table.time(f.incrementalMillis()), "pg1' × records",
                        Table.ratio(f.incrementalMillis(), c * f.incrementalRecords()), "", "");
            }
        }

        System.out.println();
        System.out.println("Suite benchmark, " + Instant.now() + ", " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version") + ", embedded stack (each server a process of its own; the load clients in this JVM)");
        t.print(System.out);
        System.out.println("ratio = value ÷ the reference named (a latency ÷ that latency; [pg1'] commit = 1 ÷ its commits/s;"
                + " verification ÷ that many commits). samples = the measurements a rate or latency is made of."
                + " The audit lag has no reference (\"none\"): it is a delay of the suite's own design (relay, broker, ingest).");
        if (options.csv() != null) {
            try {
                t.csv(options.csv(), Instant.now().toString());
                System.out.println("The rows as CSV: " + options.csv());
            } catch (IOException e) {
                System.err.println("Could not write " + options.csv() + ": " + e.getMessage());
            }
        }
        int cores = Runtime.getRuntime().availableProcessors();
        Load.Result largest = notes.get(options.maxClients());
        Load.Result largestReads = reads.get(options.maxClients());
        if (cpuNotes != null && largest != null) {
            System.out.println("Processor use while " + clients(options.maxClients()) + " wrote notes, cores of " + cores
                    + " (processor ms per write): " + cores(cpuNotes, largest.perSecond()));
        }
        if (cpuReads != null && largestReads != null) {
            System.out.println("Processor use while " + clients(options.maxClients()) + " read notes, cores of " + cores
                    + " (processor ms per read): " + cores(cpuReads, largestReads.perSecond()));
        }
        if (cpuIngest != null) {
            System.out.println("Processor use while audit-service ingested, cores of " + cores
                    + " (processor ms per record): " + cores(cpuIngest, ingestPerSecond));
        }
        if (audit.isEmpty()) {
            System.out.println("The DPO query, proof and verification figures at 100 thousand, 1 million and 10 million records:"
                    + " deploy/bench.sh all (or deploy/bench.sh audit N for one size).");
        }
    }

    /** The closed-loop rows of one request at each client count, with their ratios to [pgN] and the targets at 32. */
    private void closedRows(Table t, String what, Map<Integer, Load.Result> results) {
        for (Load.Result r : results.values()) {
            References.Commits ref = pgSingle.get(r.clients());
            boolean targeted = r.clients() == 32;
            String n = Table.count(r.samples()) + (r.errors() > 0 ? " (" + r.errors() + " failed)" : "");
            t.row(what + "/s, " + clients(r.clients()), Table.count(r.perSecond()), n,
                    ref == null ? "" : "pg" + r.clients(), ref == null ? "" : Table.ratio(r.perSecond(), ref.perSecond()),
                    targeted ? "≥ 2,000" : "", targeted ? Table.met(r.perSecond() >= 2000 && r.errors() == 0) : "");
            t.row("  " + what + " latency, " + clients(r.clients()) + ", ms p50 / p99", Table.times(r.latency().p50(), r.latency().p99()),
                    n, ref == null ? "" : "pg" + r.clients() + " latency",
                    ref == null ? "" : Table.ratios(r.latency().p50(), r.latency().p99(), ref.latency().p50(),
                            ref.latency().p99()),
                    targeted ? "p99 ≤ 50" : "", targeted ? Table.met(r.latency().p99() <= 50) : "");
        }
    }

    /** The open-loop rows: the rate achieved, and the latency from each request's due time. */
    private void openRows(Table t, String what, List<Open> phases) {
        References.Commits ref = pgSingle.get(options.maxClients());
        for (Open o : phases) {
            Load.Result r = o.result();
            String n = Table.count(r.samples()) + (r.errors() > 0 ? " (" + r.errors() + " failed)" : "");
            String pg = ref == null ? "" : "pg" + ref.clients();
            String phase = "open loop, " + what + " due at " + o.percent() + " % of the closed loop at "
                    + clients(options.maxClients()) + ", " + options.workers() + " workers";
            t.row(phase + ": achieved/s", Table.count(r.perSecond()), n, pg,
                    ref == null ? "" : Table.ratio(r.perSecond(), ref.perSecond()), "", "");
            t.row("  " + phase + ": due/s", Table.count(o.due()));
            t.row("  " + phase + ": latency from the due time, ms p50 / p99 / p99.9",
                    // A p99.9 from fewer than 10,000 samples rests on fewer than 10 of them: not printed.
                    r.samples() >= 10_000 ? Table.times(r.latency().p50(), r.latency().p99(), r.latency().p999())
                            : Table.times(r.latency().p50(), r.latency().p99()) + " / – (under 10,000 samples)", n,
                    ref == null ? "" : pg + " latency",
                    ref == null ? "" : Table.ratios(r.latency().p50(), r.latency().p99(), ref.latency().p50(),
                            ref.latency().p99()), "", "");
        }
    }

    /** "case-service 0.92 (2.97)": the cores a part used on average, and its processor ms per operation. */
    private static String cores(Map<String, Double> cores, double perSecond) {
        return cores.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%.2f", e.getValue())
                        + (e.getKey().equals("other processes") || !(perSecond > 0) ? ""
                                : String.format(Locale.ROOT, " (%.2f)", e.getValue() * 1000 / perSecond)))
                .reduce((a, b) -> a + ", " + b).orElse("");
    }

    private static String clients(int n) {
        return n + (n == 1 ? " client" : " clients");
    }

    private static String mib(long kib) {
        return kib < 0 ? "n/a" : Table.count(kib / 1024.0);
    }

    private static String scale(long records) {
        if (records % 1_000_000 == 0) {
            return Table.count(records / 1_000_000) + " million";
        }
        if (records % 1_000 == 0) {
            return Table.count(records / 1_000) + " thousand";
        }
        return Table.count(records);
    }

    // --- process ---------------------------------------------------------------------------------

    private static void progress(String what) {
        System.err.println("[bench " + Instant.now().toString().substring(11, 19) + "] " + what);
    }

    private static void stop(AtomicReference<Suite> running) {
        Suite suite = running.getAndSet(null);
        if (suite != null) {
            suite.close();
        }
    }

    /** Kafka and PostgreSQL log through java.util.logging here; keep warnings and errors only. */
    private static void quietLogging() {
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.setLevel(java.util.logging.Level.WARNING);
        for (java.util.logging.Handler handler : root.getHandlers()) {
            handler.setLevel(java.util.logging.Level.WARNING);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("Could not delete " + dir + ": " + e.getMessage());
        }
    }
}
