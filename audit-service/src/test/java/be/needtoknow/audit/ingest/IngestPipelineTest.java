package be.needtoknow.audit.ingest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import be.needtoknow.audit.AuditEvents;
import be.needtoknow.audit.tree.MerkleLog;
import be.needtoknow.audit.tree.TreeVerifier;
import be.needtoknow.audit.tree.Verification;
import be.needtoknow.common.audit.PupilPseudonyms;
import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.TestTopics;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The ingest pipeline (validation of the next batches while the log's one writer stores the
 * current ones, waiting batches stored together): under a burst of records with duplicates and a
 * poison record, while the database drops the service's connections again and again, every record
 * is stored exactly once, in the order it was published, each new one the next leaf of the tree,
 * and the tree verifies (A2).
 */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
class IngestPipelineTest {

    static final String SCHOOL = "school-sint-jan";

    @Inject
    PupilPseudonyms pseudonyms;

    @Inject
    MerkleLog tree;

    @Inject
    Verification verification;

    static Connection superuser() throws SQLException {
        String url = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
        return DriverManager.getConnection(url, "postgres", "postgres");
    }

    @Test
    void aBurstWithDuplicatesAndDroppedConnectionsIsStoredOnceEachInOrder() throws Exception {
        String pseudonym = pseudonyms.of(SCHOOL, "p-burst-" + UUID.randomUUID());
        int distinct = 6_000;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < distinct; i++) {
            ids.add(UUID.randomUUID().toString());
        }
        // In publishing order: every tenth record again right after itself, every 97th again 1,500 later
        // (in another poll, most likely another batch or transaction), and one poison record.
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < distinct; i++) {
            sent.add(ids.get(i));
            if (i % 10 == 0) {
                sent.add(ids.get(i));
            }
            if (i >= 1_500 && (i - 1_500) % 97 == 0) {
                sent.add(ids.get(i - 1_500));
            }
        }
        String poison = UUID.randomUUID().toString();
        sent.add(distinct / 2, poison);

        AtomicBoolean bursting = new AtomicBoolean(true);
        AtomicInteger dropped = new AtomicInteger();
        // The database fails in the middle: once the first records are stored, the service's
        // connections are dropped six times, 400 ms apart (the transaction under way rolls back;
        // ingest waits for the database and stores its batches again).
        String user = ConfigProvider.getConfig().getValue("quarkus.datasource.username", String.class);
        Thread dropper = new Thread(() -> {
            try (Connection c = superuser(); PreparedStatement s = c.prepareStatement("select count(pg_terminate_backend(pid)) "
                    + "from pg_stat_activity where usename = ? and pid <> pg_backend_pid()")) {
                s.setString(1, user);
                while (bursting.get() && stored(pseudonym).isEmpty()) {
                    Thread.sleep(20);
                }
                for (int round = 0; round < 6 && bursting.get(); round++) {
                    try (ResultSet r = s.executeQuery()) {
                        r.next();
                        dropped.addAndGet(r.getInt(1));
                    }
                    Thread.sleep(400);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "connection-dropper");

        Properties props = new Properties();
        props.putAll(TestTopics.as("case-service"));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        dropper.start();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            Map<String, String> records = new java.util.HashMap<>();
            for (String id : sent) {
                // One key: one partition, so the publishing order is the order ingest receives them in.
                String value = id.equals(poison) ? "{\"occurredAt\": \"not a time\"}"
                        : records.computeIfAbsent(id, x -> AuditEvents.record(SCHOOL, pseudonym, "bart.counsellor",
                                "case-file.read"));
                ProducerRecord<String, String> record = new ProducerRecord<>("ntk.audit.v1", pseudonym, value);
                AuditEvents.cloudEventHeaders(id).forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
                producer.send(record);
            }
            producer.flush();
            String last = ids.get(distinct - 1);
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> stored(pseudonym).contains(last));
        } finally {
            bursting.set(false);
            dropper.join();
        }
        assertTrue(dropped.get() > 0, "the database dropped the service's connections during the burst");

        // Each record once, in the order of its first publication, and nothing else (not the poison).
        List<String> stored = stored(pseudonym);
        assertEquals(ids.size(), stored.size(), "each record stored once");
        assertEquals(ids, stored, "in the order published");
        try (Connection c = superuser(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("select count(*), count(distinct leaf_index), min(leaf_index), max(leaf_index) "
                        + "from audit_record where pupil_pseudonym = '" + pseudonym + "'")) {
            r.next();
            assertEquals(distinct, r.getInt(1));
            assertEquals(distinct, r.getInt(2));
        }
        // The records and the tree end together, and the tree verifies, leaf by leaf.
        try (Connection c = superuser(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("select (select max(leaf_index) + 1 from audit_record), "
                        + "(select max(idx) + 1 from merkle_node where level = 0)")) {
            r.next();
            assertEquals(r.getLong(1), r.getLong(2), "the records end where the tree ends");
        }
        TreeVerifier.Report report = verified();
        assertTrue(report.consistent(), report.summary());
    }

    @Test
    void aRecordsTimeIsStoredToTheMicrosecondWhateverItsOffset() throws SQLException {
        String pseudonym = pseudonyms.of(SCHOOL, "p-time-" + UUID.randomUUID());
        String id = UUID.randomUUID().toString();
        String record = AuditEvents.record(SCHOOL, pseudonym, "bart.counsellor", "case-file.read")
                .replaceFirst("\"occurredAt\": \"[^\"]*\"", "\"occurredAt\": \"2026-03-29T02:30:15.123456789+05:45\"");
        AuditEvents.publish(id, "k", record);
        await().atMost(Duration.ofSeconds(30)).until(() -> stored(pseudonym).contains(id));
        try (Connection c = superuser();
                PreparedStatement s = c.prepareStatement("select occurred_at, record from audit_record where event_id = ?::uuid")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                // Rounded to the microsecond, as a timestamptz keeps it.
                assertEquals(OffsetDateTime.parse("2026-03-28T20:45:15.123457Z").toInstant(),
                        r.getObject(1, OffsetDateTime.class).toInstant());
                assertTrue(r.getString(2).contains("\"occurredAt\":\"2026-03-29T02:30:15.123456789+05:45\""),
                        "the record keeps the time as written");
            }
        }
    }

    @Test
    void fieldsWithBackslashesTabsNewlinesAndAccentsAreStoredAsWritten() throws SQLException {
        String pseudonym = pseudonyms.of(SCHOOL, "p-text-" + UUID.randomUUID());
        String id = UUID.randomUUID().toString();
        // As JSON: a backslash, a tab, a newline, a carriage return, a quote, an accent and \N (COPY's null).
        String action = "case-file.read \\\\N\\t\\n\\r\\\" é";
        AuditEvents.publish(id, "k", AuditEvents.record(SCHOOL, pseudonym, "bart.counsellor", action));
        await().atMost(Duration.ofSeconds(30)).until(() -> stored(pseudonym).contains(id));
        try (Connection c = superuser();
                PreparedStatement s = c.prepareStatement("select action from audit_record where event_id = ?::uuid")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                assertEquals("case-file.read \\N\t\n\r\" é", r.getString(1));
            }
        }
        TreeVerifier.Report report = verified();
        assertTrue(report.consistent(), report.summary());
    }

    /** The event ids of the pupil's records, in leaf order. */
    private static List<String> stored(String pseudonym) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection c = superuser();
                PreparedStatement s = c.prepareStatement(
                        "select event_id from audit_record where pupil_pseudonym = ? order by leaf_index")) {
            s.setString(1, pseudonym);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ids.add(r.getString(1));
                }
            }
        }
        return ids;
    }

    /**
     * The whole log verified. The pool may still hand out a connection that the test's dropper
     * closed: a verification that fails on one is tried again, with another, as the DPO would press
     * "verify" again.
     */
    private TreeVerifier.Report verified() {
        for (int attempt = 1;; attempt++) {
            try {
                return verification.verify(null);
            } catch (RuntimeException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }
}
