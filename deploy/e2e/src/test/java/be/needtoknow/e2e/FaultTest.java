package be.needtoknow.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
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
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import be.needtoknow.stack.KafkaAccess;
import be.needtoknow.stack.ServiceSpec;
import be.needtoknow.stack.Suite;
import be.needtoknow.stack.Tokens;
import be.needtoknow.testing.TestTopics;
import be.needtoknow.subscriber.ReferenceSubscriber;
import io.restassured.http.ContentType;

/**
 * The fault tests of the packaged services on the real stack, on the shared suite, alone:
 * (a) the Kafka broker stopped while events are produced, (b) audit-service killed mid-ingest,
 * (c) the outbox relay failing between the broker's acknowledgement and "sent", (d) PostgreSQL and
 * (e) the Kafka broker crashed (SIGKILL) under load, (f) services started while Kafka or PostgreSQL
 * is down, (g) two instances of a service on one database, one of them killed, and (h) the audit
 * log's tail cut while audit-service is stopped. Each scenario leaves the suite running and ready
 * for the next ({@link #everythingBackAndReady()}).
 * <p>
 * What it counts, it counts by CloudEvents id: the ids of the audit records a scenario caused are
 * read from the services' own outbox tables, and looked up in audit-service's database (each as
 * the database's owner, over JDBC). The DPO's verification recomputes the whole tree.
 * Observations (how long a service took to report unready, say) are printed with the prefix
 * "FAULT" and so kept in the surefire report.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(Order.DEFAULT + 2) // last on the shared suite: it stops, kills and fills it (SharedSuite)
@org.junit.jupiter.api.parallel.Isolated // alone: no other class may use the suite meanwhile
class FaultTest {

    private static final List<String> SERVICES = List.of("case-service", "referral-service", "audit-service");
    private static final String AUDIT_TOPIC = "ntk.audit.v1";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Suite suite;
    private Path home;
    /** A case file of a pupil of its own (Sint-Jansschool), with the confidentiality notice recorded (S1): the notes go there. */
    private String caseFile;

    @BeforeAll
    void start() throws Exception {
        suite = SharedSuite.get();
        home = suite.settings().home();
        report("the suite's state and logs: %s", home);
        String pupil = SharedSuite.newPupil(suite, "faults");
        String counsellor = userToken("bart.counsellor");
        caseFile = given().baseUri(url("case-service")).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"%s\", \"reason\": \"Often absent on Mondays\"}".formatted(pupil))
                .when().post("/case-files").then().statusCode(201).extract().path("id");
        given().baseUri(url("case-service")).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("{\"givenAt\": \"2026-11-20T09:30:00Z\", \"how\": \"SPOKEN\"}")
                .when().post("/case-files/" + caseFile + "/confidentiality-notices").then().statusCode(201);
    }

    /** Whatever a scenario stopped runs again, and every service is ready, before the next one. */
    @AfterEach
    void everythingBackAndReady() throws Exception {
        suite.startKafka();
        suite.startPostgres();
        for (String service : SERVICES) {
            if (!isAlive(service)) {
                suite.startService(service);
            }
        }
        for (String service : SERVICES) {
            suite.awaitReady(service, Duration.ofMinutes(2));
        }
    }

    // --- a. The broker stopped while referrals and audit records are produced --------------------

    /**
     * Kafka is stopped; a counsellor writes ten notes and sends a referral to CLB Gent, and every
     * call succeeds (the events wait in the outbox, committed with the change). Once the broker is
     * back, every audit record the calls caused is stored in audit-service exactly once, the
     * referral reaches CLB Gent's topic, the reference subscriber (which deduplicates on ce_id)
     * handles it once, and the DPO's verification of the tree is consistent.
     */
    @Test
    @Order(1)
    void kafkaStoppedWhileWriting_everyEventArrivesOnceAfterItReturns_andTheTrailVerifies() throws Exception {
        String counsellor = userToken("bart.counsellor");
        long caseMark = lastOutboxPosition("case-service");
        long referralMark = lastOutboxPosition("referral-service");
        String referral;
        long kafkaStopped = System.nanoTime();
        suite.stopKafka();
        try {
            for (int i = 1; i <= 10; i++) {
                writeNote(counsellor, "Written while the broker was down, " + i, 201);
            }
            String referralService = url("referral-service");
            referral = given().baseUri(referralService).auth().oauth2(counsellor).contentType(ContentType.JSON)
                    .body("{\"pupilId\": \"sj-1002\", \"recipientId\": \"clb-gent\"}")
                    .when().post("/referrals").then().statusCode(201).extract().path("id");
            given().baseUri(referralService).auth().oauth2(counsellor).contentType(ContentType.JSON)
                    .body("""
                            {"items": [{"type": "QUESTION", "purpose": "what we ask the CLB", "text": "Can you talk with Yusuf?"}]}""")
                    .when().put("/referrals/" + referral + "/items").then().statusCode(200);
            given().baseUri(referralService).auth().oauth2(counsellor).contentType(ContentType.JSON)
                    .body("""
                            {"consulted": [{"party": "PUPIL", "when": "2026-11-24T10:00:00Z", "how": "talk", "answer": "AGREED"}],
                             "parentsNotInformed": false}""")
                    .when().post("/referrals/" + referral + "/consent").then().statusCode(200);
            given().baseUri(referralService).auth().oauth2(counsellor).when().post("/referrals/" + referral + "/send")
                    .then().statusCode(200);
            assertTrue(unsent("case-service") >= 10, "the notes' audit records wait in case-service's outbox");
            assertTrue(unsent("referral-service") >= 1, "the referral waits in referral-service's outbox");
            // What the services report while the broker is down (Quarkus' messaging health check).
            report("a: readiness DOWN after (ms, from the stop; -1: still up after 30 s): %s",
                    awaitReadinessOf(SERVICES, false, Duration.ofSeconds(30), kafkaStopped));
        } finally {
            suite.startKafka();
        }
        long back = System.nanoTime();
        for (String service : SERVICES) {
            suite.awaitReady(service, Duration.ofMinutes(2));
        }
        report("a: all services ready %d ms after the broker was back", (System.nanoTime() - back) / 1_000_000);

        List<UUID> audited = new ArrayList<>(auditEventIdsAfter("case-service", caseMark));
        audited.addAll(auditEventIdsAfter("referral-service", referralMark));
        assertTrue(audited.size() >= 14, "audit records caused: " + audited.size());
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> storedCopies(audited).size() == audited.size());
        assertEveryStoredOnce(audited);
        assertEquals(0, unsent("case-service") + unsent("referral-service"), "every outbox event was marked sent");
        report("a: %d audit records stored once each, %d ms after the broker was back", audited.size(),
                (System.nanoTime() - back) / 1_000_000);

        // CLB Gent: the referral is on its topic, and its deduplicating subscriber handles it once.
        String finalReferral = referral;
        List<TestTopics.Received> onTopic = TestTopics.readUntil(
                suite.kafka().clientConfig("clb-gent", KafkaAccess.developmentPassword("clb-gent")),
                "ntk.referrals.clb-gent.v1", r -> r.value().contains(finalReferral), Duration.ofSeconds(30));
        assertTrue(onTopic.stream().anyMatch(r -> r.value().contains(finalReferral)), "the referral is on CLB Gent's topic");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        var settings = new ReferenceSubscriber.Settings("clb-gent", suite.kafka().bootstrapServers(), "clb-gent",
                KafkaAccess.developmentPassword("clb-gent"), "clb-gent-system", Tokens.devSecret("clb-gent-system"),
                suite.keycloak().tokenEndpoint(), url("referral-service"), Files.createTempFile("clb-gent", ".seen-ids"));
        try (var subscriber = new ReferenceSubscriber(settings, new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                subscriber.pollUntilIdle(Duration.ofSeconds(1));
                return printed.toString(StandardCharsets.UTF_8).contains(finalReferral);
            });
            subscriber.pollUntilIdle(Duration.ofSeconds(2));
        }
        String output = printed.toString(StandardCharsets.UTF_8);
        assertEquals(1, occurrences(output, "be.needtoknow.referral.sent.v1 referral/" + referral + " "),
                "the deduplicating subscriber handled the referral once");
        // ... and acknowledged its receipt through the API.
        given().baseUri(url("referral-service"))
                .auth().oauth2(Tokens.clientCredentials(suite.keycloak().tokenEndpoint(), "clb-gent-system",
                        Tokens.devSecret("clb-gent-system")))
                .when().get("/referrals").then().statusCode(200)
                .body("find { it.id == '%s' }.status".formatted(referral), equalTo("RECEIVED"));
        assertTheTrailVerifies();
    }

    // --- b. audit-service killed mid-ingest -----------------------------------------------------------

    /**
     * A2, failover: a second audit-service instance runs on the same database and in the same
     * consumer group. 20,000 valid audit records are published to ntk.audit.v1 as case-service
     * would; the first instance is killed (SIGKILL) once some but not all are stored, and the second
     * takes over alone. In the end each of the 20,000 is stored exactly once, the leaf indexes are
     * dense (0 to size - 1, no gap, none twice), the tree has a leaf per record, the second instance
     * appended some of them, and the verification is consistent. Then the first is started again.
     */
    @Test
    @Order(2)
    void auditServiceKilledMidIngest_theSecondInstanceTakesOver_noRecordLostOrStoredTwice() throws Exception {
        String second = suite.startSecondInstance("audit-service");
        suite.awaitReady(second, Duration.ofMinutes(2));
        int count = 20_000;
        String organisation = "fault-test-" + UUID.randomUUID().toString().substring(0, 8);
        List<UUID> ids = new ArrayList<>(count);
        long publishing = System.nanoTime();
        Properties producer = new Properties();
        producer.putAll(suite.kafka().clientConfig("case-service", KafkaAccess.developmentPassword("case-service")));
        producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        producer.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        try (KafkaProducer<String, String> kafka = new KafkaProducer<>(producer)) {
            List<Future<RecordMetadata>> acks = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                UUID id = UUID.randomUUID();
                ids.add(id);
                String pseudonym = String.format("%064x", i % 97);
                ProducerRecord<String, String> record = new ProducerRecord<>(AUDIT_TOPIC, pseudonym,
                        auditRecord(organisation, pseudonym, i));
                record.headers().add("ce_specversion", bytes("1.0")).add("ce_id", bytes(id.toString()))
                        .add("ce_type", bytes("be.needtoknow.audit.record.v1")).add("ce_source", bytes("/case-service"))
                        .add("content-type", bytes("application/json"));
                acks.add(kafka.send(record));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        }
        report("b: %d records published in %d ms", count, (System.nanoTime() - publishing) / 1_000_000);

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
                .until(() -> storedOf(organisation) > 0);
        long atKill = storedOf(organisation);
        suite.killService("audit-service");
        long afterKill = storedOf(organisation);
        report("b: audit-service killed with %d of %d stored (%d seen just before the kill)", afterKill, count, atKill);
        assertTrue(afterKill < count, "killed mid-ingest: " + afterKill + " of " + count + " were stored already");

        long takeover = System.nanoTime();
        double appendedBySecond = metric(second, "ntk_audit_records_appended_total");
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).until(() -> storedOf(organisation) == count);
        report("b: all %d stored %d ms after the kill, the second instance alone", count,
                (System.nanoTime() - takeover) / 1_000_000);
        assertTrue(metric(second, "ntk_audit_records_appended_total") > appendedBySecond,
                "the second instance appended after the first died");
        assertEveryStoredOnce(ids);
        try (Connection audit = asOwner("audit-service"); Statement s = audit.createStatement()) {
            try (ResultSet r = s.executeQuery("select count(*), count(distinct leaf_index), min(leaf_index), max(leaf_index), "
                    + "count(distinct event_id) from audit_record")) {
                r.next();
                long records = r.getLong(1);
                assertEquals(records, r.getLong(2), "each leaf index once");
                assertEquals(0, r.getLong(3), "the first leaf is 0");
                assertEquals(records - 1, r.getLong(4), "the leaf indexes are dense: 0 .. size - 1");
                assertEquals(records, r.getLong(5), "each event id once");
            }
            try (ResultSet r = s.executeQuery("select (select count(*) from merkle_node where level = 0), "
                    + "(select count(*) from audit_record)")) {
                r.next();
                assertEquals(r.getLong(2), r.getLong(1), "a leaf in the tree for each record");
            }
        }
        given().baseUri(url(second)).auth().oauth2(userToken("frank.dpo")).when().post("/audit-log/verification")
                .then().statusCode(200).body("consistent", equalTo(true));
        suite.startService("audit-service");
        suite.awaitReady("audit-service", Duration.ofMinutes(2));
        suite.killService(second);
        assertTheTrailVerifies();
    }

    // --- c. The relay fails between the broker's acknowledgement and "sent" ------------------------

    /**
     * The relay's "mark sent" fails after Kafka acknowledged the event, twice: a trigger that the
     * database's superuser puts on case-service's outbox table raises on the update that sets
     * sent_at, for the first two attempts (counted by a sequence, which a rollback does not undo).
     * That is the crash between the broker's ack and the commit of "sent", made deterministic: the
     * relay's transaction rolls back, the event stays unsent and is published again at the next
     * sweep. (Killing the service at the right moment would race with the relay's commit.) The
     * topic then holds the same ce_id three times, and audit-service stores it once.
     */
    @Test
    @Order(3)
    void relayFailingBetweenTheBrokersAckAndMarkingSent_publishesAgain_andTheConsumerStoresOnce() throws Exception {
        ServiceSpec caseService = suite.spec("case-service");
        String counsellor = userToken("bart.counsellor");
        double duplicatesBefore = metric("audit-service", "ntk_audit_records_duplicates_total");
        try (Connection admin = suite.connectAsSuperuser(caseService.database()); Statement s = admin.createStatement()) {
            s.execute("create sequence fault_mark_sent_attempt");
            s.execute("grant usage on sequence fault_mark_sent_attempt to " + caseService.appUser());
            s.execute("""
                    create function fault_fail_mark_sent() returns trigger language plpgsql as $$
                    begin
                        if nextval('fault_mark_sent_attempt') <= 2 then
                            raise exception 'fault test: marking sent fails after the broker acknowledged';
                        end if;
                        return new;
                    end $$""");
            s.execute("create trigger fault_fail_mark_sent before update of sent_at on outbox_event for each row "
                    + "when (old.sent_at is null and new.sent_at is not null) execute function fault_fail_mark_sent()");
        }
        UUID eventId;
        try {
            String note = writeNote(counsellor, "Written while the relay could not mark sent", 201);
            eventId = noteWritten(note);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> sentAt("case-service", eventId) != null);
        } finally {
            try (Connection admin = suite.connectAsSuperuser(caseService.database()); Statement s = admin.createStatement()) {
                s.execute("drop trigger if exists fault_fail_mark_sent on outbox_event");
                s.execute("drop function if exists fault_fail_mark_sent()");
                s.execute("drop sequence if exists fault_mark_sent_attempt");
            }
        }
        String id = eventId.toString();
        AtomicInteger copies = new AtomicInteger();
        TestTopics.readUntil(suite.kafka().adminConfig(), AUDIT_TOPIC,
                r -> id.equals(r.headers().get("ce_id")) && copies.incrementAndGet() == 3, Duration.ofSeconds(30));
        report("c: the topic holds event %s %d times", id, copies.get());
        assertEquals(3, copies.get(), "published once per attempt: two whose mark failed, one that succeeded");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> storedCopies(List.of(eventId)).containsKey(eventId));
        assertEveryStoredOnce(List.of(eventId));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> metric("audit-service", "ntk_audit_records_duplicates_total") >= duplicatesBefore + 2);
        assertTheTrailVerifies();
    }

    // --- d. PostgreSQL crashed (SIGKILL) under load -----------------------------------------------

    /** One note write as the load saw it. */
    private record Write(long startedAt, long millis, int status, String contentType, String noteId) {
        boolean ok() {
            return status / 100 == 2;
        }
    }

    /**
     * Three clients keep writing notes; PostgreSQL crashes (SIGKILL to the postmaster and every
     * backend: no shutdown, no checkpoint), stays down a while and is started again, recovering from
     * its write-ahead log. While it is down, every service reports unready within seconds and the
     * writes fail with a 503 problem response, none hangs; once it is back, the services report ready
     * again without a restart of their own (the same processes) and writes succeed. Every write that
     * was answered 2xx before the crash is stored (read back: durable commits, fsync on), its audit
     * record is stored once in audit-service, and the tree verifies.
     */
    @Test
    @Order(4)
    void postgresCrashedUnderLoad_servicesReportUnreadyThenRecoverWithoutRestart_noAcknowledgedWriteLost()
            throws Exception {
        String counsellor = userToken("bart.counsellor");
        long caseMark = lastOutboxPosition("case-service");
        long referralMark = lastOutboxPosition("referral-service");
        Map<String, Long> pids = new LinkedHashMap<>();
        SERVICES.forEach(s -> pids.put(s, suite.servicePid(s)));
        CrashLoad load = new CrashLoad(counsellor);
        Map<String, Long> downAfter;
        Map<String, Long> upAfter;
        long stopped;
        long started;
        try (load) {
            Thread.sleep(2000);
            stopped = System.nanoTime();
            suite.crashPostgres();
            report("d: PostgreSQL killed (SIGKILL) in %d ms", (System.nanoTime() - stopped) / 1_000_000);
            downAfter = awaitReadinessOf(SERVICES, false, Duration.ofSeconds(30), stopped);
            Thread.sleep(5000);
            started = System.nanoTime();
            suite.startPostgres();
            report("d: PostgreSQL started in %d ms", (System.nanoTime() - started) / 1_000_000);
            upAfter = awaitReadinessOf(SERVICES, true, Duration.ofSeconds(60), started);
            assertEveryCommittedRecordStored("d", caseMark, referralMark);
            load.awaitWritesSucceedingAfter(System.nanoTime());
        }
        report("d: readiness DOWN after (ms, from the stop): %s", downAfter);
        report("d: readiness UP after (ms, from the start): %s", upAfter);
        long stopAt = load.at(stopped);
        long startAt = load.at(started);
        List<Write> all = new ArrayList<>(load.writes);
        // Begun once the stop had taken effect, answered before the database was started again.
        List<Write> duringOutage = all.stream()
                .filter(w -> w.startedAt() > stopAt + 1000 && w.startedAt() + w.millis() < startAt).toList();
        Map<Integer, Long> statuses = new java.util.TreeMap<>();
        all.forEach(w -> statuses.merge(w.status(), 1L, Long::sum));
        report("d: %d writes, by status %s; %d begun during the outage, by status %s; slowest %d ms", all.size(), statuses,
                duringOutage.size(), duringOutage.stream().collect(java.util.stream.Collectors.groupingBy(Write::status,
                        java.util.TreeMap::new, java.util.stream.Collectors.counting())),
                all.stream().mapToLong(Write::millis).max().orElse(0));

        for (String service : SERVICES) {
            assertTrue(downAfter.get(service) >= 0 && downAfter.get(service) < 10_000,
                    service + " reported unready " + downAfter.get(service) + " ms after PostgreSQL stopped");
            assertTrue(upAfter.get(service) >= 0, service + " did not report ready again");
            assertEquals(pids.get(service), suite.servicePid(service), service + " recovered without a restart");
        }
        assertFalse(duringOutage.isEmpty(), "writes were attempted during the outage");
        for (Write write : duringOutage) {
            assertTrue(write.status() == 503 && write.contentType().contains("application/problem+json"),
                    "during the outage a write fails with a 503 problem, not " + write.status() + " " + write.contentType());
        }
        assertTrue(all.stream().allMatch(w -> w.status() > 0 && w.millis() < 10_000), "no write hung (each answered within 10 s)");
        // The failures are logged by the endpoint's template, never by the path: it carries the case file's id.
        List<String> caseLog = Files.readAllLines(home.resolve("logs").resolve("case-service.log"),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(caseLog.stream().anyMatch(l -> l.contains("Database unavailable on POST /case-files/{id}/notes")),
                "the outage is in case-service's log, by endpoint template");
        assertTrue(caseLog.stream().noneMatch(l -> l.contains(caseFile)), "a log line names the case file's id");
        assertNothingAcknowledgedLost("d", load, caseMark);
        assertTheTrailVerifies();
    }

    /**
     * The load of the crash scenarios: three clients writing notes in the fault tests' case file and
     * one sending referrals to CLB Gent one after the other, until closed. Every answer is kept, timed
     * from the load's start.
     */
    private final class CrashLoad implements AutoCloseable {
        private final long origin = System.nanoTime();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ConcurrentLinkedQueue<Write> writes = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<SentReferral> referrals = new ConcurrentLinkedQueue<>();
        private final List<Thread> threads = new ArrayList<>();

        CrashLoad(String counsellor) {
            for (int t = 0; t < 3; t++) {
                int client = t;
                threads.add(new Thread(() -> {
                    for (int i = 0; running.get(); i++) {
                        writes.add(timedNoteWrite(counsellor, "Load client " + client + ", note " + i, origin));
                    }
                }, "fault-load-" + t));
            }
            threads.add(new Thread(() -> {
                for (int i = 0; running.get(); i++) {
                    referrals.add(sendReferral(counsellor, List.of("referral-service"), i));
                }
            }, "fault-load-referrals"));
            threads.forEach(Thread::start);
        }

        /** Milliseconds since the load began, for a moment taken with System.nanoTime(). */
        long at(long nanoTime) {
            return (nanoTime - origin) / 1_000_000;
        }

        /** Waits until three writes begun after that moment were answered 201. */
        void awaitWritesSucceedingAfter(long nanoTime) {
            long since = at(nanoTime);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> writes.stream().filter(w -> w.startedAt() > since && w.ok()).count() >= 3);
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(60_000);
            }
        }
    }

    /**
     * What a crash must not lose: every note answered 201 is stored, the audit record of its writing
     * is stored once in audit-service, every referral answered 200 is on CLB Gent's topic (at least
     * once: the recipient deduplicates on ce_id), and the outboxes drain.
     */
    private void assertNothingAcknowledgedLost(String scenario, CrashLoad load, long caseMark) throws Exception {
        List<String> acknowledged = load.writes.stream().filter(Write::ok).map(Write::noteId).toList();
        List<String> stored = given().baseUri(url("case-service")).auth().oauth2(userToken("bart.counsellor"))
                .when().get("/case-files/" + caseFile + "/notes").then().statusCode(200).extract().path("id");
        assertTrue(stored.containsAll(acknowledged), "every note answered 2xx is stored");
        List<UUID> audited = notesWritten(acknowledged);
        assertTrue(auditEventIdsAfter("case-service", caseMark).containsAll(audited));
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> storedCopies(audited).size() == audited.size());
        assertEveryStoredOnce(audited);
        List<String> sent = load.referrals.stream().filter(r -> r.status() == 200).map(SentReferral::id).toList();
        report("%s: %d notes answered 201, %d referrals sent (200) of %d attempted", scenario, acknowledged.size(),
                sent.size(), load.referrals.size());
        assertFalse(sent.isEmpty(), "referrals were sent");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> unsent("referral-service") == 0 && unsent("case-service") == 0);
        Map<String, Integer> toClb = sentReferralsOnTopic();
        for (String id : sent) {
            assertTrue(toClb.getOrDefault(id, 0) >= 1, "referral " + id + " (answered 200) is on CLB Gent's topic");
        }
    }

    /**
     * audit-service commits a record's offset only after the record is stored: every audit record
     * the services published after those outbox positions whose offset audit-service has committed
     * (its consumer group, read from the broker first) is stored in its database. Right after a
     * restart it may not have committed any of them yet (it commits every few seconds): the check
     * waits, up to a minute, until it has, and then holds for all it has committed.
     */
    private void assertEveryCommittedRecordStored(String scenario, long caseMark, long referralMark) throws Exception {
        java.util.Set<String> ours = new java.util.HashSet<>();
        auditEventIdsAfter("case-service", caseMark).forEach(id -> ours.add(id.toString()));
        auditEventIdsAfter("referral-service", referralMark).forEach(id -> ours.add(id.toString()));
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        List<UUID> belowCommitted;
        while (true) {
            Map<TopicPartition, OffsetAndMetadata> committed;
            try (Admin admin = Admin.create(suite.kafka().adminConfig())) {
                committed = admin.listConsumerGroupOffsets("audit-service").partitionsToOffsetAndMetadata()
                        .get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
            belowCommitted = TestTopics.readToEnd(suite.kafka().adminConfig(), AUDIT_TOPIC).stream()
                    .filter(r -> ours.contains(r.headers().get("ce_id")))
                    .filter(r -> {
                        OffsetAndMetadata offset = committed.get(new TopicPartition(AUDIT_TOPIC, r.partition()));
                        return offset != null && r.offset() < offset.offset();
                    })
                    .map(r -> UUID.fromString(r.headers().get("ce_id"))).distinct().toList();
            if (!belowCommitted.isEmpty() || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(1000); // audit-service commits its offsets every few seconds
        }
        // Read after the offsets: what was committed then must be stored now.
        Map<UUID, Long> stored = storedCopies(belowCommitted);
        report("%s: %d of the scenario's audit records below audit-service's committed offsets", scenario,
                belowCommitted.size());
        assertFalse(belowCommitted.isEmpty(), "audit-service committed offsets of the scenario's records");
        assertEquals(belowCommitted.size(), stored.size(), "every audit record whose offset audit-service committed is stored");
    }

    private Write timedNoteWrite(String token, String text, long origin) {
        return timedNoteWrite("case-service", token, text, origin);
    }

    /** One note write in Lotte's case file through that instance of case-service, timed. */
    private Write timedNoteWrite(String instance, String token, String text, long origin) {
        long begin = System.nanoTime();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url(instance) + "/case-files/" + caseFile + "/notes"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(noteBody(text))).build();
        int status;
        String type = "";
        String noteId = null;
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            status = response.statusCode();
            type = response.headers().firstValue("Content-Type").orElse("");
            if (status == 201) {
                noteId = io.restassured.path.json.JsonPath.from(response.body()).getString("id");
            }
        } catch (HttpTimeoutException e) {
            status = 0;
        } catch (Exception e) {
            status = -1;
            type = e.toString();
            try {
                Thread.sleep(100); // the service does not answer at all: do not spin
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return new Write((begin - origin) / 1_000_000, (System.nanoTime() - begin) / 1_000_000, status, type, noteId);
    }

    // --- e. The broker crashed under load ----------------------------------------------------------

    /**
     * Three clients keep writing notes and referrals are sent one after the other; the Kafka broker
     * crashes (SIGKILL: no controlled shutdown, nothing flushed) and is started again a few seconds
     * later on its log directory. The writes go on through the outage (their events wait in the
     * outboxes, committed with the change). Once the broker is back: every audit record whose offset
     * audit-service had committed is stored, every note answered 201 is stored with its audit record
     * stored once, every referral answered 200 is on CLB Gent's topic, and the tree verifies.
     */
    @Test
    @Order(5)
    void kafkaCrashedUnderLoad_writesGoOn_andNothingAcknowledgedIsLostWhenItIsBack() throws Exception {
        String counsellor = userToken("bart.counsellor");
        long caseMark = lastOutboxPosition("case-service");
        long referralMark = lastOutboxPosition("referral-service");
        CrashLoad load = new CrashLoad(counsellor);
        long crashed;
        long started;
        try (load) {
            Thread.sleep(2000);
            crashed = System.nanoTime();
            suite.crashKafka();
            report("e: Kafka killed (SIGKILL) in %d ms", (System.nanoTime() - crashed) / 1_000_000);
            Thread.sleep(5000);
            started = System.nanoTime();
            suite.startKafka();
            report("e: Kafka started in %d ms", (System.nanoTime() - started) / 1_000_000);
            for (String service : SERVICES) {
                suite.awaitReady(service, Duration.ofMinutes(2));
            }
            assertEveryCommittedRecordStored("e", caseMark, referralMark);
            load.awaitWritesSucceedingAfter(System.nanoTime());
        }
        long crashAt = load.at(crashed);
        long startAt = load.at(started);
        List<Write> duringOutage = load.writes.stream()
                .filter(w -> w.startedAt() > crashAt + 500 && w.startedAt() + w.millis() < startAt).toList();
        report("e: %d writes begun during the outage, %d answered 201", duringOutage.size(),
                duringOutage.stream().filter(Write::ok).count());
        assertTrue(duringOutage.stream().anyMatch(Write::ok), "notes are written while the broker is down");
        assertNothingAcknowledgedLost("e", load, caseMark);
        assertTheTrailVerifies();
    }

    // --- f. A service started while a dependency is down ---------------------------------------

    /**
     * With the broker stopped, referral-service (which checks its recipients' topics at start, and
     * publishes) and audit-service (which consumes) are killed and started again: each starts
     * (live) at once, reports unready, and reports ready once the broker is back, without another
     * restart. (case-service uses Kafka as referral-service does: through the outbox relay.)
     */
    @Test
    @Order(6)
    void servicesStartedWhileKafkaIsDown_waitUnready_andComeUpWithIt() throws Exception {
        List<String> restarted = List.of("referral-service", "audit-service");
        suite.stopKafka();
        long back;
        try {
            restartAndExpectLiveButUnready("f (Kafka down)", restarted, "SmallRye Reactive Messaging - readiness check");
        } finally {
            back = System.nanoTime();
            suite.startKafka();
        }
        expectReadyWithoutRestart("f (Kafka down)", restarted, back);
    }

    /**
     * With PostgreSQL stopped, the three services are killed and started again: each starts (live)
     * instead of exiting on its migrations, reports unready, and reports ready once the database is
     * back (the migrations and the start-up work that needs the database done then); a note written
     * afterwards reaches the trail.
     */
    @Test
    @Order(7)
    void servicesStartedWhilePostgresIsDown_waitUnready_andComeUpWithIt() throws Exception {
        suite.stopPostgres();
        long back;
        try {
            restartAndExpectLiveButUnready("f (PostgreSQL down)", SERVICES, "Database migrations and start-up work");
        } finally {
            back = System.nanoTime();
            suite.startPostgres();
        }
        expectReadyWithoutRestart("f (PostgreSQL down)", SERVICES, back);
        long mark = lastOutboxPosition("case-service");
        writeNote(userToken("bart.counsellor"), "Written after the database came back", 201);
        List<UUID> audited = auditEventIdsAfter("case-service", mark);
        assertFalse(audited.isEmpty(), "the note's audit record is in the outbox");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> storedCopies(audited).size() == audited.size());
        assertTheTrailVerifies();
    }

    // --- g. Two instances of case-service and referral-service on one database ---------------------

    /** A note write as one load client saw it, and the instance that answered. */
    private record InstanceWrite(String instance, int client, Write write) {
    }

    /** A referral as one load client sent it (id null when it could not be opened or filled). */
    private record SentReferral(String id, int status) {
    }

    /** What one load phase saw: note writes, referrals, and the instances found unready. */
    private record Load(List<InstanceWrite> writes, List<SentReferral> referrals, List<String> notReady) {
        List<String> acknowledgedNotes() {
            return writes.stream().map(InstanceWrite::write).filter(Write::ok).map(Write::noteId).toList();
        }

        Map<String, Map<Integer, Long>> statuses() {
            Map<String, Map<Integer, Long>> statuses = new java.util.TreeMap<>();
            writes.forEach(w -> statuses.computeIfAbsent(w.instance(), i -> new java.util.TreeMap<>())
                    .merge(w.write().status(), 1L, Long::sum));
            return statuses;
        }
    }

    /**
     * Two replicas of case-service and of referral-service, each pair on one database (two relays on
     * one outbox). Four clients write notes, two through each case-service instance; two clients
     * send referrals to CLB Gent, each call of a referral through the other instance in turn.
     * <p>
     * First both pairs run under load: every acknowledged note is stored once; every audit record
     * and every referral is published exactly once (one relay per event) and stored once; each
     * client's audit records reach the topic in the order it wrote its notes (one relay publishes at
     * a time, so two cannot overtake each other; concurrent writes have no order to keep); every
     * instance stays ready. Then the first instance of each is killed (SIGKILL)
     * under load: the second answers every write and stays ready, nothing acknowledged is lost,
     * every audit record is stored exactly once (the killed relay's last batch may be published
     * again, which the consumer's deduplication absorbs), and referrals go on being sent.
     */
    @Test
    @Order(8)
    void twoInstancesOnOneDatabase_nothingLostNothingPublishedTwice_andAKilledInstanceLosesNothing() throws Exception {
        String counsellor = userToken("bart.counsellor");
        String secondCase = suite.startSecondInstance("case-service");
        String secondReferral = suite.startSecondInstance("referral-service");
        suite.awaitReady(secondCase, Duration.ofMinutes(2));
        suite.awaitReady(secondReferral, Duration.ofMinutes(2));
        List<String> cases = List.of("case-service", secondCase);
        java.util.concurrent.atomic.AtomicReference<List<String>> referralInstances =
                new java.util.concurrent.atomic.AtomicReference<>(List.of("referral-service", secondReferral));
        try {
            // A fresh JVM answers its first requests slowly: warm the second instances up first.
            long warm = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                assertTrue(timedNoteWrite(secondCase, counsellor, "Warming up the second instance " + i, warm).ok());
                given().baseUri(url(secondReferral)).auth().oauth2(counsellor).when().get("/referrals").then()
                        .statusCode(200);
            }
            // 1. Both instances of each service under load.
            long caseMark = lastOutboxPosition("case-service");
            long referralMark = lastOutboxPosition("referral-service");
            List<String> everyInstance = List.of("case-service", secondCase, "referral-service", secondReferral);
            Load both = underLoad(counsellor, cases, referralInstances, Duration.ofSeconds(6), everyInstance, () -> { });
            report("g: both instances: notes by instance and status %s, %d referrals", both.statuses(),
                    both.referrals().size());
            assertTrue(both.notReady().isEmpty(), "an instance reported unready under load: " + both.notReady());
            assertTrue(both.writes().stream().allMatch(w -> w.write().ok()), "every write answered 2xx: " + both.statuses());
            assertTrue(both.referrals().stream().allMatch(r -> r.status() == 200), "every referral sent: " + both.referrals());
            assertTrue(both.statuses().size() == 2, "both case-service instances took writes");
            List<UUID> caseEvents = settled("case-service", caseMark, both);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> unsent("referral-service") == 0);
            List<UUID> referralEvents = auditEventIdsAfter("referral-service", referralMark);
            List<UUID> audited = new ArrayList<>(caseEvents);
            audited.addAll(referralEvents);
            List<TestTopics.Received> trail = TestTopics.readToEnd(suite.kafka().adminConfig(), AUDIT_TOPIC);
            Map<String, Integer> published = copiesById(trail);
            List<String> notOnce = audited.stream().map(UUID::toString).filter(id -> published.getOrDefault(id, 0) != 1)
                    .toList();
            assertTrue(notOnce.isEmpty(), notOnce.size() + " of " + audited.size() + " audit records not published "
                    + "exactly once, e.g. " + notOnce.stream().limit(3).map(id -> id + " x" + published.get(id)).toList());
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> storedCopies(audited).size() == audited.size());
            assertEveryStoredOnce(audited);
            // Each client wrote its next note after the last one's 201: its records are published in
            // that order (two relays publishing at once could overtake each other).
            Map<String, String> recordOfNote = noteWritesAfter(caseMark);
            List<String> onTopic = trail.stream().map(r -> r.headers().get("ce_id")).toList();
            for (int client = 0; client < 4; client++) {
                int c = client;
                List<String> written = both.writes().stream().filter(w -> w.client() == c && w.write().ok())
                        .map(w -> recordOfNote.get(w.write().noteId())).toList();
                Set<String> ours = new java.util.HashSet<>(written);
                assertTrue(written.size() >= 5, "client " + client + " wrote " + written.size() + " notes");
                assertEquals(written, onTopic.stream().filter(ours::contains).toList(),
                        "client " + client + "'s audit records reach the topic in the order the notes were written");
            }
            Map<String, Integer> toClb = sentReferralsOnTopic();
            for (SentReferral referral : both.referrals()) {
                assertEquals(1, toClb.getOrDefault(referral.id(), 0),
                        "referral " + referral.id() + " published to CLB Gent exactly once");
            }
            report("g: %d audit records and %d referrals, each published and stored once", audited.size(),
                    both.referrals().size());

            // 2. The first instance of each killed under load.
            long killMark = lastOutboxPosition("case-service");
            Load killed = underLoad(counsellor, cases, referralInstances, Duration.ofSeconds(8),
                    List.of(secondCase, secondReferral), () -> {
                        referralInstances.set(List.of(secondReferral));
                        suite.killService("case-service");
                        suite.killService("referral-service");
                    });
            report("g: first instances killed: notes by instance and status %s, referrals by status %s", killed.statuses(),
                    killed.referrals().stream().collect(java.util.stream.Collectors.groupingBy(SentReferral::status,
                            java.util.TreeMap::new, java.util.stream.Collectors.counting())));
            assertTrue(killed.notReady().isEmpty(), "a surviving instance reported unready: " + killed.notReady());
            List<Write> bySurvivor = killed.writes().stream().filter(w -> w.instance().equals(secondCase))
                    .map(InstanceWrite::write).toList();
            assertFalse(bySurvivor.isEmpty(), "the surviving instance took writes");
            assertTrue(bySurvivor.stream().allMatch(Write::ok), "the survivor answered every write 2xx: " + killed.statuses());
            assertTrue(killed.referrals().stream().anyMatch(r -> r.status() == 200), "referrals were sent after the kill");
            List<UUID> afterKill = settled("case-service", killMark, killed);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> storedCopies(afterKill).size() == afterKill.size());
            assertEveryStoredOnce(afterKill);
            Map<String, Integer> again = copiesById(TestTopics.readToEnd(suite.kafka().adminConfig(), AUDIT_TOPIC));
            report("g: %d audit records after the kill, stored once each; %d of them published twice", afterKill.size(),
                    afterKill.stream().filter(id -> again.getOrDefault(id.toString(), 0) > 1).count());
        } finally {
            suite.killService(secondCase);
            suite.killService(secondReferral);
        }
    }

    /**
     * Runs four note clients (two per case-service instance) and two referral clients for that
     * long, polling the readiness of {@code watched} every 200 ms; {@code midway} runs halfway.
     */
    private Load underLoad(String token, List<String> cases,
            java.util.concurrent.atomic.AtomicReference<List<String>> referralInstances, Duration length,
            List<String> watched, Runnable midway) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentLinkedQueue<InstanceWrite> writes = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<SentReferral> referrals = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> notReady = new ConcurrentLinkedQueue<>();
        long origin = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            String instance = cases.get(t % cases.size());
            int client = t;
            threads.add(new Thread(() -> {
                for (int i = 0; running.get(); i++) {
                    writes.add(new InstanceWrite(instance, client,
                            timedNoteWrite(instance, token, "Two instances, client " + client + ", note " + i, origin)));
                }
            }, "two-instances-notes-" + t));
        }
        for (int t = 0; t < 2; t++) {
            int client = t;
            threads.add(new Thread(() -> {
                for (int i = 0; running.get(); i++) {
                    referrals.add(sendReferral(token, referralInstances.get(), client + i));
                }
            }, "two-instances-referrals-" + t));
        }
        threads.add(new Thread(() -> {
            while (running.get()) {
                for (String instance : watched) {
                    if (!suite.readiness(instance).up()) {
                        notReady.add(instance + " at " + (System.nanoTime() - origin) / 1_000_000 + " ms");
                    }
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "two-instances-readiness"));
        threads.forEach(Thread::start);
        try {
            Thread.sleep(length.toMillis() / 2);
            midway.run();
            Thread.sleep(length.toMillis() / 2);
        } finally {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(60_000);
            }
        }
        return new Load(new ArrayList<>(writes), new ArrayList<>(referrals), new ArrayList<>(notReady));
    }

    /** One referral to CLB Gent: opened, filled, consented and sent, each call through the next instance. */
    private SentReferral sendReferral(String token, List<String> instances, int first) {
        int[] call = {first};
        java.util.function.Supplier<String> next = () -> url(instances.get(call[0]++ % instances.size()));
        try {
            String id = given().baseUri(next.get()).auth().oauth2(token).contentType(ContentType.JSON)
                    .body("{\"pupilId\": \"sj-1002\", \"recipientId\": \"clb-gent\"}")
                    .when().post("/referrals").then().statusCode(201).extract().path("id");
            given().baseUri(next.get()).auth().oauth2(token).contentType(ContentType.JSON)
                    .body("""
                            {"items": [{"type": "QUESTION", "purpose": "what we ask the CLB", "text": "Two instances"}]}""")
                    .when().put("/referrals/" + id + "/items").then().statusCode(200);
            given().baseUri(next.get()).auth().oauth2(token).contentType(ContentType.JSON)
                    .body("""
                            {"consulted": [{"party": "PUPIL", "when": "2026-11-24T10:00:00Z", "how": "talk", "answer": "AGREED"}],
                             "parentsNotInformed": false}""")
                    .when().post("/referrals/" + id + "/consent").then().statusCode(200);
            int status = given().baseUri(next.get()).auth().oauth2(token).when().post("/referrals/" + id + "/send")
                    .then().extract().statusCode();
            return new SentReferral(id, status);
        } catch (RuntimeException | AssertionError e) {
            // An instance killed under the referral: it is not counted as sent.
            return new SentReferral(null, -1);
        }
    }

    /**
     * Once case-service's outbox is drained: every acknowledged note of the load is stored once and
     * has its audit record in the outbox; returns the service's audit records after the mark.
     */
    private List<UUID> settled(String service, long mark, Load load) throws Exception {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> unsent(service) == 0);
        List<String> acknowledged = load.acknowledgedNotes();
        assertFalse(acknowledged.isEmpty(), "notes were written");
        assertEquals(acknowledged.size(), single(service, "select count(*) from note where id::text in ('"
                + String.join("','", acknowledged) + "')"), "every acknowledged note is stored, once");
        List<UUID> audited = auditEventIdsAfter(service, mark);
        assertTrue(audited.containsAll(notesWritten(acknowledged)), "the audit record of every note is in the outbox");
        return audited;
    }

    /** Note id → the id of its note.write record, for the notes written after the mark (all in Lotte's file: one key). */
    private Map<String, String> noteWritesAfter(long position) throws SQLException {
        try (Connection c = asOwner("case-service");
                PreparedStatement s = c.prepareStatement("select subject, event_id from outbox_event where position > ? "
                        + "and topic = ? and payload::jsonb ->> 'action' = 'note.write'")) {
            s.setLong(1, position);
            s.setString(2, AUDIT_TOPIC);
            Map<String, String> ids = new HashMap<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ids.put(r.getString(1).substring("note/".length()), r.getString(2));
                }
            }
            return ids;
        }
    }

    private static Map<String, Integer> copiesById(List<TestTopics.Received> read) {
        Map<String, Integer> copies = new HashMap<>();
        read.forEach(r -> copies.merge(r.headers().get("ce_id"), 1, Integer::sum));
        return copies;
    }

    /** How often each referral is on CLB Gent's topic as sent. */
    private Map<String, Integer> sentReferralsOnTopic() {
        Map<String, Integer> copies = new HashMap<>();
        for (TestTopics.Received r : TestTopics.readToEnd(suite.kafka().adminConfig(), "ntk.referrals.clb-gent.v1")) {
            String subject = r.headers().getOrDefault("ce_subject", "");
            if ("be.needtoknow.referral.sent.v1".equals(r.headers().get("ce_type")) && subject.startsWith("referral/")) {
                copies.merge(subject.substring("referral/".length()), 1, Integer::sum);
            }
        }
        return copies;
    }

    // --- h. The audit log's tail cut while audit-service is stopped --------------------------------

    /**
     * A2, found by a witness: the log is cosigned by both witnesses of the suite (CLB Gent and the
     * school board); with audit-service stopped, the database superuser deletes the last records
     * with their leaves, checkpoints and cosignatures, so that the database alone is consistent.
     * At start, the service asks each witness what it holds: they have cosigned more records than
     * the log holds, and the alarm is raised (the readiness detail, the log's state); the witnesses
     * log their own alarm and cosign nothing smaller. The last scenario: the alarm stays.
     */
    @Test
    @Order(9)
    void auditLogTailCutWhileStopped_theWitnessesFindItAtStart() throws Exception {
        String dpo = userToken("frank.dpo");
        writeNote(userToken("bart.counsellor"), "Written before the tail is cut", 201);
        String cosigned = given().baseUri(url("audit-service")).auth().oauth2(dpo).when().post("/audit-log/checkpoints")
                .then().statusCode(200).extract().asString();
        long size = Long.parseLong(cosigned.lines().skip(1).findFirst().orElseThrow());
        for (var witness : suite.witnesses().running()) {
            assertTrue(cosigned.contains("\n\u2014 " + witness.spec().name() + " "),
                    "cosigned by " + witness.spec().description() + ":\n" + cosigned);
        }
        suite.killService("audit-service");
        long cut = size - 3;
        try (Connection c = suite.connectAsSuperuser(suite.spec("audit-service").database());
                Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            List<String> tables = List.of("audit_record", "merkle_node", "checkpoint", "cosignature");
            for (String table : tables) {
                s.execute("alter table " + table + " disable trigger user");
            }
            s.execute("delete from audit_record where leaf_index >= " + cut);
            s.execute("delete from merkle_node where (idx + 1) * (1::bigint << level) > " + cut);
            s.execute("delete from cosignature where tree_size > " + cut);
            s.execute("delete from checkpoint where tree_size > " + cut);
            for (String table : tables) {
                s.execute("alter table " + table + " enable trigger user");
            }
            c.commit();
        }
        suite.startService("audit-service");
        suite.awaitReady("audit-service", Duration.ofMinutes(2));
        given().baseUri(url("audit-service")).auth().oauth2(dpo).when().post("/audit-log/checkpoints").then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> suite.readiness("audit-service").body().contains("TAIL_CUT"));
        Suite.Health health = suite.readiness("audit-service");
        assertTrue(health.body().contains("TAIL_CUT") && health.body().contains("has cosigned "), health.body());
        given().baseUri(url("audit-service")).auth().oauth2(dpo).when().get("/audit-log/state").then().statusCode(200)
                .body("alarms.kind", org.hamcrest.Matchers.hasItem("TAIL_CUT"));
        for (var witness : suite.witnesses().running()) {
            Path log = suite.settings().logs().resolve("witness-" + witness.spec().party() + ".log");
            String text = Files.readString(log);
            assertTrue(text.contains("ALARM"), witness.spec().description() + " raised its own alarm: " + log);
        }
        report("h: the tail cut from %d to %d records was found by the witnesses at start", size, cut);
    }

    private final Map<String, Long> restartedPids = new HashMap<>();

    /** Kills the services, starts them again, and expects each to run, live, and unready with that check down. */
    private void restartAndExpectLiveButUnready(String scenario, List<String> services, String downCheck) throws Exception {
        for (String service : services) {
            suite.killService(service);
        }
        long begin = System.nanoTime();
        for (String service : services) {
            suite.startService(service);
            restartedPids.put(service, suite.servicePid(service));
        }
        for (String service : services) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .until(() -> suite.liveness(service).up() || !isAlive(service));
            assertTrue(isAlive(service), service + " exited instead of waiting:\n" + suite.readiness(service));
            report("%s: %s live by %d ms after its start", scenario, service, (System.nanoTime() - begin) / 1_000_000);
        }
        Thread.sleep(3000);
        for (String service : services) {
            Suite.Health readiness = suite.readiness(service);
            assertEquals(503, readiness.status(), service + " reports unready: " + readiness.body());
            List<Map<String, String>> checks = io.restassured.path.json.JsonPath.from(readiness.body()).getList("checks");
            assertTrue(checks.stream().anyMatch(c -> c.get("name").equals(downCheck) && c.get("status").equals("DOWN")),
                    service + ": " + downCheck + " is down: " + readiness.body());
            assertTrue(suite.liveness(service).up(), service + " is live");
            assertTrue(isAlive(service), service + " still runs");
        }
    }

    /** Expects each service ready again after the dependency came back ({@code since}), as the same process. */
    private void expectReadyWithoutRestart(String scenario, List<String> services, long since) {
        Map<String, Long> readyAfter = awaitReadinessOf(services, true, Duration.ofSeconds(90), since);
        report("%s: ready after (ms, from the dependency's start): %s", scenario, readyAfter);
        for (String service : services) {
            assertTrue(readyAfter.get(service) >= 0, service + " did not report ready: " + suite.readiness(service).body());
            assertEquals(restartedPids.get(service), suite.servicePid(service), service + " came up without a restart");
        }
    }

    // --- helpers ------------------------------------------------------------------------------

    private String userToken(String username) {
        return Tokens.password(suite.keycloak().tokenEndpoint(), username, Tokens.DEMO_PASSWORD);
    }

    private String url(String service) {
        return suite.serviceUrl(service);
    }

    private boolean isAlive(String service) {
        return ProcessHandle.of(suite.servicePid(service)).map(ProcessHandle::isAlive).orElse(false);
    }

    private static String noteBody(String text) {
        return "{\"kind\": \"CONVERSATION\", \"visibility\": \"CARE_TEAM\", \"text\": \"" + text + "\"}";
    }

    /** Writes a note in Lotte's case file; returns its id. */
    private String writeNote(String token, String text, int expected) {
        return given().baseUri(url("case-service")).auth().oauth2(token).contentType(ContentType.JSON).body(noteBody(text))
                .when().post("/case-files/" + caseFile + "/notes").then().statusCode(expected).extract().path("id");
    }

    /**
     * Polls the service's readiness until it is up (or down); returns the milliseconds it took, or
     * -1 if it did not within the timeout.
     */
    private long awaitReadiness(String service, boolean up, Duration timeout) {
        long begin = System.nanoTime();
        long deadline = begin + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Suite.Health health = suite.readiness(service);
            if (up ? health.up() : health.status() == 503) {
                return (System.nanoTime() - begin) / 1_000_000;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
        return -1;
    }

    /**
     * Polls the services' readiness at once until each is up (or down); returns, per service, the
     * milliseconds since {@code since} (System.nanoTime()) when it was, or -1 if not within the timeout.
     */
    private Map<String, Long> awaitReadinessOf(List<String> services, boolean up, Duration timeout, long since) {
        java.util.concurrent.ExecutorService pollers = java.util.concurrent.Executors.newFixedThreadPool(services.size());
        try {
            Map<String, Future<Long>> polls = new LinkedHashMap<>();
            for (String service : services) {
                polls.put(service, pollers.submit(() -> awaitReadiness(service, up, timeout) < 0
                        ? -1L : (System.nanoTime() - since) / 1_000_000));
            }
            Map<String, Long> after = new LinkedHashMap<>();
            for (Map.Entry<String, Future<Long>> poll : polls.entrySet()) {
                after.put(poll.getKey(), poll.getValue().get());
            }
            return after;
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        } finally {
            pollers.shutdownNow();
        }
    }

    private void assertTheTrailVerifies() {
        given().baseUri(url("audit-service")).auth().oauth2(userToken("frank.dpo")).when().post("/audit-log/verification")
                .then().statusCode(200).body("consistent", equalTo(true));
    }

    private double metric(String service, String name) {
        String metrics = given().baseUri(url(service)).when().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static void report(String format, Object... arguments) {
        System.out.println("FAULT " + String.format(format, arguments));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            count++;
        }
        return count;
    }

    /** A valid audit record (deploy/asyncapi.yaml, AuditRecord) of a fictitious school. */
    private static String auditRecord(String organisation, String pseudonym, int n) {
        return """
                {"occurredAt": "%s", "service": "case-service",
                 "actor": {"subject": "s-fault", "username": "fault.tester", "role": "pupil-counsellor",
                           "organisationId": "%s", "organisationType": "school"},
                 "action": "case-file.read", "organisationId": "%s", "pupilPseudonym": "%s",
                 "resourceType": "case-file", "resourceId": "fault-%d", "purpose": "pupil guidance",
                 "legalBasis": "legal-task", "outcome": "GRANTED", "correlationId": "fault-%d"}"""
                .formatted(OffsetDateTime.now(ZoneOffset.UTC), organisation, organisation, pseudonym, n, n);
    }

    // --- the databases, as their owners ---------------------------------------------------------

    private Connection asOwner(String service) throws SQLException {
        ServiceSpec spec = suite.spec(service);
        return DriverManager.getConnection("jdbc:postgresql://" + suite.settings().postgresAddress() + "/" + spec.database(),
                spec.user(), spec.password());
    }

    private long lastOutboxPosition(String service) throws SQLException {
        return single(service, "select coalesce(max(position), 0) from outbox_event");
    }

    private long unsent(String service) throws SQLException {
        return single(service, "select count(*) from outbox_event where sent_at is null");
    }

    private long single(String service, String sql) throws SQLException {
        try (Connection c = asOwner(service); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    /** The ids of the audit records the service put in its outbox after that position. */
    private List<UUID> auditEventIdsAfter(String service, long position) throws SQLException {
        try (Connection c = asOwner(service);
                PreparedStatement s = c.prepareStatement(
                        "select event_id from outbox_event where position > ? and topic = ? order by position")) {
            s.setLong(1, position);
            s.setString(2, AUDIT_TOPIC);
            List<UUID> ids = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ids.add(r.getObject(1, UUID.class));
                }
            }
            return ids;
        }
    }

    /** The id of the one audit record of that note's writing. */
    private UUID noteWritten(String note) throws SQLException {
        try (Connection c = asOwner("case-service");
                PreparedStatement s = c.prepareStatement("select event_id from outbox_event where subject = ? and topic = ? "
                        + "and payload::jsonb ->> 'action' = 'note.write'")) {
            s.setString(1, "note/" + note);
            s.setString(2, AUDIT_TOPIC);
            try (ResultSet r = s.executeQuery()) {
                assertTrue(r.next(), "no audit record of the writing of note " + note);
                UUID id = r.getObject(1, UUID.class);
                assertFalse(r.next(), "more than one audit record of the writing of note " + note);
                return id;
            }
        }
    }

    /** The ids of the audit records of these notes' writing, one per note (in one query). */
    private List<UUID> notesWritten(List<String> notes) throws SQLException {
        try (Connection c = asOwner("case-service");
                PreparedStatement s = c.prepareStatement("select subject, event_id from outbox_event where subject = any(?) "
                        + "and topic = ? and payload::jsonb ->> 'action' = 'note.write'")) {
            s.setArray(1, c.createArrayOf("text", notes.stream().map(n -> "note/" + n).toArray()));
            s.setString(2, AUDIT_TOPIC);
            Map<String, List<UUID>> bySubject = new HashMap<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    bySubject.computeIfAbsent(r.getString(1), k -> new ArrayList<>()).add(r.getObject(2, UUID.class));
                }
            }
            List<UUID> ids = new ArrayList<>();
            for (String note : notes) {
                List<UUID> of = bySubject.getOrDefault("note/" + note, List.of());
                assertEquals(1, of.size(), "audit records of the writing of note " + note);
                ids.add(of.get(0));
            }
            return ids;
        }
    }

    private OffsetDateTime sentAt(String service, UUID eventId) throws SQLException {
        try (Connection c = asOwner(service);
                PreparedStatement s = c.prepareStatement("select sent_at from outbox_event where event_id = ?")) {
            s.setObject(1, eventId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getObject(1, OffsetDateTime.class);
            }
        }
    }

    /** How many times each of these events is stored in audit-service (absent: not stored). */
    private Map<UUID, Long> storedCopies(Collection<UUID> ids) throws SQLException {
        try (Connection c = asOwner("audit-service");
                PreparedStatement s = c.prepareStatement(
                        "select event_id, count(*) from audit_record where event_id = any(?) group by event_id")) {
            s.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            Map<UUID, Long> copies = new HashMap<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    copies.put(r.getObject(1, UUID.class), r.getLong(2));
                }
            }
            return copies;
        }
    }

    private long storedOf(String organisation) throws SQLException {
        try (Connection c = asOwner("audit-service");
                PreparedStatement s = c.prepareStatement("select count(*) from audit_record where organisation_id = ?")) {
            s.setString(1, organisation);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private void assertEveryStoredOnce(Collection<UUID> ids) throws SQLException {
        Map<UUID, Long> copies = storedCopies(ids);
        assertEquals(ids.size(), copies.size(), "every record stored");
        assertTrue(copies.values().stream().allMatch(n -> n == 1), "no record stored twice");
    }
}
