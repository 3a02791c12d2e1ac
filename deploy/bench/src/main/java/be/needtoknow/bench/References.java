package be.needtoknow.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The machine's own reference figures, measured in the same run on the suite's own servers: what
 * PostgreSQL and the Kafka broker do without the services in between, and how long a bare JVM
 * takes to start.
 */
final class References {

    /** The size of a reference Kafka record: about an audit record's. */
    static final int RECORD_BYTES = 600;

    private References() {
    }

    /** Committed transactions per second and the latency of each commit. */
    record Commits(int clients, double perSecond, Latency latency) {
    }

    /**
     * Single-row insert transactions (autocommit: one commit each) by {@code clients} clients for
     * {@code duration}, on a scratch table. Each client first opens its connection and inserts
     * untimed for a fifth of the duration (at most a second); the timed window starts when all are
     * warm, so that it holds no connection setup.
     */
    static Commits singleRowCommits(String url, String user, String password, int clients, Duration duration)
            throws Exception {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute("create table if not exists bench_single (id bigserial primary key, v text not null)");
        }
        long warmUp = Math.min(Duration.ofSeconds(1).toNanos(), duration.toNanos() / 5);
        CountDownLatch warm = new CountDownLatch(clients);
        CountDownLatch go = new CountDownLatch(1);
        long[] window = new long[2]; // start, end: written before go opens
        AtomicLong commits = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Latency> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Latency latency = new Latency();
            latencies.add(latency);
            Thread t = new Thread(() -> {
                boolean counted = false;
                try (Connection c = DriverManager.getConnection(url, user, password);
                        PreparedStatement s = c.prepareStatement("insert into bench_single (v) values (?)")) {
                    long warmUntil = System.nanoTime() + warmUp;
                    while (System.nanoTime() < warmUntil) {
                        s.setString(1, "warm-up");
                        s.executeUpdate();
                    }
                    warm.countDown();
                    counted = true;
                    go.await();
                    long end = window[1];
                    while (System.nanoTime() < end) {
                        long t0 = System.nanoTime();
                        s.setString(1, "reference");
                        s.executeUpdate();
                        latency.record(System.nanoTime() - t0);
                        commits.incrementAndGet();
                    }
                } catch (SQLException | InterruptedException e) {
                    failure.compareAndSet(null, e);
                } finally {
                    if (!counted) {
                        warm.countDown();
                    }
                }
            }, "pg-reference-" + i);
            t.start();
            threads.add(t);
        }
        warm.await();
        window[0] = System.nanoTime();
        window[1] = window[0] + duration.toNanos();
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - window[0]) / 1e9;
        if (failure.get() != null) {
            throw new IllegalStateException("PostgreSQL reference failed", failure.get());
        }
        Latency all = new Latency();
        latencies.forEach(all::add);
        return new Commits(clients, commits.get() / seconds, all);
    }

    /**
     * Rows per second inserted by one client in transactions of 100 rows (a JDBC batch, then one
     * commit), each row carrying {@value #RECORD_BYTES} characters of text, for {@code duration}:
     * one writer storing batches, as audit-service's ingest does. After an untimed warm-up on the same
     * connection.
     */
    static double batchRows(String url, String user, String password, Duration duration) throws SQLException {
        String text = "r".repeat(RECORD_BYTES);
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            try (Statement s = c.createStatement()) {
                s.execute("create table if not exists bench_batch (id bigserial primary key, v text not null)");
            }
            c.setAutoCommit(false);
            long rows = 0;
            try (PreparedStatement s = c.prepareStatement("insert into bench_batch (v) values (?)")) {
                // Untimed first (a fifth of the duration, at most a second): the connection and the statement are warm.
                long warmUntil = System.nanoTime() + Math.min(Duration.ofSeconds(1).toNanos(), duration.toNanos() / 5);
                while (System.nanoTime() < warmUntil) {
                    for (int i = 0; i < 100; i++) {
                        s.setString(1, text);
                        s.addBatch();
                    }
                    s.executeBatch();
                    c.commit();
                }
                long start = System.nanoTime();
                long end = start + duration.toNanos();
                while (System.nanoTime() < end) {
                    for (int i = 0; i < 100; i++) {
                        s.setString(1, text);
                        s.addBatch();
                    }
                    s.executeBatch();
                    c.commit();
                    rows += 100;
                }
                return rows / ((System.nanoTime() - start) / 1e9);
            }
        }
    }

    /**
     * Audit records per second that PostgreSQL stores in audit-service's own schema, without the
     * service: one client, for {@code duration}, in transactions of {@value #AUDIT_BATCH} records,
     * each transaction a COPY (text format) into a copy of {@code audit_record} (its columns,
     * identity, constraints and every index, by {@code CREATE TABLE ... (LIKE ... INCLUDING ALL)}, so it
     * follows the migrations) and a COPY of the tree's nodes into a copy of {@code merkle_node}
     * (each leaf hash and every inner node the leaf completes: about two rows per record), with
     * records of about {@value #RECORD_BYTES} bytes, pseudonyms and actors spread as in a school. It
     * is what audit-service's ingest could reach if it cost PostgreSQL nothing more than its own
     * writes: the like-for-like reference of the ingest row. The copies live in a scratch schema of
     * the audit database, dropped afterwards.
     *
     * @param auditDatabase a connection to audit-service's database as a superuser (or its owner)
     */
    static double auditSchemaRecords(Connection auditDatabase, Duration duration) throws SQLException, java.io.IOException {
        try (Statement s = auditDatabase.createStatement()) {
            s.execute("drop schema if exists bench_reference cascade");
            s.execute("create schema bench_reference");
            s.execute("create table bench_reference.audit_record (like public.audit_record including all)");
            s.execute("create table bench_reference.merkle_node (like public.merkle_node including all)");
        }
        auditDatabase.setAutoCommit(false);
        org.postgresql.copy.CopyManager copy = auditDatabase.unwrap(org.postgresql.PGConnection.class).getCopyAPI();
        java.util.Random random = new java.util.Random(42);
        String padding = "p".repeat(Math.max(0, RECORD_BYTES - 420));
        long leaves = 0;
        long start = 0;
        long warmUntil = System.nanoTime() + Math.min(Duration.ofSeconds(1).toNanos(), duration.toNanos() / 5);
        long stored = 0;
        try {
            while (true) {
                long now = System.nanoTime();
                if (start == 0 && now >= warmUntil) {
                    start = now;
                    stored = 0;
                }
                if (start != 0 && now >= start + duration.toNanos()) {
                    break;
                }
                StringBuilder records = new StringBuilder(AUDIT_BATCH * (RECORD_BYTES + 200));
                StringBuilder nodes = new StringBuilder(AUDIT_BATCH * 2 * 80);
                String at = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).toString();
                for (int i = 0; i < AUDIT_BATCH; i++, leaves++) {
                    String pseudonym = "ps-" + random.nextInt(5_000);
                    String actor = "staff-" + random.nextInt(200);
                    String json = "{\"action\":\"note.write\",\"actor\":{\"organisationId\":\"school-bench\",\"role\":"
                            + "\"pupil-counsellor\",\"username\":\"" + actor + "\"},\"legalBasis\":\"legal-task\","
                            + "\"occurredAt\":\"" + at + "\",\"organisationId\":\"school-bench\",\"outcome\":\"GRANTED\","
                            + "\"pupilPseudonym\":\"" + pseudonym + "\",\"purpose\":\"pupil guidance\",\"resourceId\":\""
                            + java.util.UUID.randomUUID() + "\",\"resourceType\":\"note\",\"p\":\"" + padding + "\"}";
                    records.append(java.util.UUID.randomUUID()).append("\tcase-service\t").append(at).append('\t').append(at)
                            .append("\tschool-bench\t").append(pseudonym).append('\t').append(actor)
                            .append("\tpupil-counsellor\tnote.write\tGRANTED\t").append(json).append('\t').append(leaves)
                            .append("\tschool-bench\n");
                    nodes.append("0\t").append(leaves).append("\t\\\\x").append(randomHex(random)).append('\n');
                    // Every inner node that this leaf completes: level l over the 2^l leaves ending here.
                    for (int level = 1; ((leaves + 1) & ((1L << level) - 1)) == 0; level++) {
                        nodes.append(level).append('\t').append((leaves + 1) / (1L << level) - 1).append("\t\\\\x")
                                .append(randomHex(random)).append('\n');
                    }
                }
                copy.copyIn("copy bench_reference.audit_record (event_id, source, received_at, occurred_at, organisation_id, "
                        + "pupil_pseudonym, actor_username, actor_role, action, outcome, record, leaf_index, "
                        + "actor_organisation_id) from stdin", new java.io.StringReader(records.toString()));
                copy.copyIn("copy bench_reference.merkle_node (level, idx, hash) from stdin",
                        new java.io.StringReader(nodes.toString()));
                auditDatabase.commit();
                stored += AUDIT_BATCH;
            }
            return stored / ((System.nanoTime() - start) / 1e9);
        } finally {
            auditDatabase.setAutoCommit(true);
            try (Statement s = auditDatabase.createStatement()) {
                s.execute("drop schema if exists bench_reference cascade");
            }
        }
    }

    /** Records per transaction of {@link #auditSchemaRecords}: about what one poll of audit-service's ingest brings. */
    static final int AUDIT_BATCH = 500;

    private static String randomHex(java.util.Random random) {
        byte[] hash = new byte[32];
        random.nextBytes(hash);
        return java.util.HexFormat.of().formatHex(hash);
    }

    /** Creates scratch topics as the broker's administrator (the description's topics are not touched). */
    static void createTopics(Map<String, Object> adminConfig, Map<String, Integer> partitions) throws Exception {
        try (Admin admin = Admin.create(adminConfig)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = partitions.entrySet().stream().filter(e -> !existing.contains(e.getKey()))
                    .map(e -> new NewTopic(e.getKey(), e.getValue(), (short) 1)).toList();
            admin.createTopics(missing).all().get();
        }
    }

    /**
     * The producer settings of the benchmark's producers: acks=all, batches of up to 64 KiB (the
     * client's default of 16 KiB, about 27 such records, makes the producer, not the broker, the
     * limit), the client's default linger (5 ms).
     */
    static Map<String, Object> producerConfig(Map<String, Object> client) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 65_536);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return config;
    }

    /** Records produced per second: {@code records} records (after a warm-up), sent as fast as the producer takes them, until the last ack. */
    static double producerRate(Map<String, Object> adminConfig, String topic, int records) throws Exception {
        String value = "v".repeat(RECORD_BYTES);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(adminConfig))) {
            AtomicReference<Exception> failure = new AtomicReference<>();
            // A warm-up (connections, metadata, the JIT) before the clock starts.
            for (int i = 0; i < Math.min(records / 10, 20_000); i++) {
                producer.send(new ProducerRecord<>(topic, Integer.toString(i), value));
            }
            producer.flush();
            long start = System.nanoTime();
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, Integer.toString(i), value), (metadata, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (failure.get() != null) {
                throw new IllegalStateException("Kafka reference producer failed", failure.get());
            }
            return records / seconds;
        }
    }

    /**
     * The broker's end-to-end latency: one record at a time (no batching wait, acks=all) from the
     * send to the moment a consumer's poll returns it, {@code samples} times after a warm-up.
     */
    static Latency brokerEndToEnd(Map<String, Object> adminConfig, String topic, int samples) throws Exception {
        Map<String, Object> producerConfig = producerConfig(adminConfig);
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        Map<String, Object> consumerConfig = new HashMap<>(adminConfig);
        consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        TopicPartition partition = new TopicPartition(topic, 0);
        Latency latency = new Latency();
        String padding = "e".repeat(RECORD_BYTES - 20);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig);
                KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig)) {
            consumer.assign(List.of(partition));
            consumer.seekToEnd(List.of(partition));
            consumer.position(partition);
            int warmUp = Math.max(20, samples / 10);
            for (int i = 0; i < warmUp + samples; i++) {
                String marker = i + ":";
                long t0 = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, 0, null, marker + padding));
                long deadline = t0 + Duration.ofSeconds(30).toNanos();
                boolean seen = false;
                while (!seen) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                        if (r.value().startsWith(marker)) {
                            seen = true;
                        }
                    }
                    if (!seen && System.nanoTime() > deadline) {
                        throw new IllegalStateException("Kafka reference: a record did not arrive within 30 s");
                    }
                }
                if (i >= warmUp) {
                    latency.record(System.nanoTime() - t0);
                }
            }
        }
        return latency;
    }

    /** The median of three starts of a bare JVM with the services' heap settings (to exit, {@code -version}), in ms. */
    static double jvmStartMillis() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        double[] times = new double[3];
        for (int i = 0; i < times.length; i++) {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(java, "-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-version")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("java -version failed");
            }
            times[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(times);
        return times[1];
    }
}
