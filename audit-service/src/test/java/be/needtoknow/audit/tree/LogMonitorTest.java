package be.needtoknow.audit.tree;

import static be.needtoknow.audit.tree.TamperTest.quoted;
import static be.needtoknow.audit.tree.TamperTest.record;
import static be.needtoknow.audit.tree.TamperTest.tamper;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import be.needtoknow.audit.AuditEvents;
import be.needtoknow.common.audit.PupilPseudonyms;
import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.TestTokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A2, the monitor and the alarm: the scheduled verification is incremental (it verifies what was
 * added since its last run, on the tree it verified then) and finds a change among the new records;
 * a row that did not come through ingest is never adopted: the log stops appending and signing.
 * Each alarm is seen four ways: a log line, the readiness check, the log's state for the DPO, and
 * an audit record in the DPO's trail. Its own run of the service (a profile of its own), since an
 * alarm stays raised until the service restarts; the tests run in order, the adoption last.
 */
@QuarkusTest
@TestProfile(LogMonitorTest.OwnRun.class)
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LogMonitorTest {

    /** A run of the service of its own. */
    public static class OwnRun implements QuarkusTestProfile {
    }

    private static final String SCHOOL = "school-sint-jan";
    private static final String DPO = TestTokens.of("frank.dpo", SCHOOL, "school", "dpo");

    @Inject
    LogMonitor monitor;

    @Inject
    MerkleLog tree;

    @Inject
    PupilPseudonyms pseudonyms;

    long appended(int records) {
        return QuietLog.appended(tree, pseudonyms, records);
    }

    @Test
    @Order(1)
    void a2_theMonitorVerifiesOnlyWhatWasAddedSinceItsLastRun() {
        long first = appended(3);
        LogMonitor.Run full = monitor.run();
        assertTrue(full.consistent(), full.summary());
        assertEquals(0, full.from(), "the first run after start verifies the whole log");
        assertTrue(full.to() >= first);

        long second = appended(4);
        LogMonitor.Run incremental = monitor.run();
        assertTrue(incremental.consistent(), incremental.summary());
        assertEquals(full.to(), incremental.from(), "the next run starts where the last one ended");
        assertEquals(second, incremental.to());
        assertTrue(incremental.summary().contains("verified after the " + full.to()), incremental.summary());

        given().auth().oauth2(DPO).when().get("/audit-log/state").then().statusCode(200)
                .body("treeSize", equalTo((int) second))
                .body("lastVerification.from", equalTo((int) full.to()))
                .body("lastVerification.consistent", equalTo(true))
                .body("alarms", org.hamcrest.Matchers.empty());
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'Audit log integrity' }.data.alarms", equalTo(0));
    }

    @Test
    @Order(2)
    void a2_theMonitorFindsAChangedSearchedColumnAmongTheNewRecordsAndRaisesTheAlarm() throws SQLException {
        monitor.run();
        long size = appended(2);
        long leaf = size - 1;
        String moved = pseudonyms.of(SCHOOL, "someone-else");
        tamper("create table monitor_before as select * from audit_record where leaf_index = " + leaf,
                "update audit_record set pupil_pseudonym = " + quoted(moved) + " where leaf_index = " + leaf);
        try {
            LogMonitor.Run run = monitor.run();
            assertFalse(run.consistent(), run.summary());
            assertTrue(run.summary().contains("leaf " + leaf) && run.summary().contains("pupil_pseudonym"), run.summary());
        } finally {
            tamper("update audit_record a set pupil_pseudonym = b.pupil_pseudonym from monitor_before b "
                    + "where a.leaf_index = b.leaf_index", "drop table monitor_before");
        }
        // The alarm: readiness down with it, the DPO's state, and a record in the DPO's own trail.
        given().when().get("/q/health/ready").then()
                .body("checks.find { it.name == 'Audit log integrity' }.data.alarms", equalTo(1))
                .body(containsString("pupil_pseudonym"));
        given().auth().oauth2(DPO).when().get("/audit-log/state").then().statusCode(200)
                .body("alarms.kind", org.hamcrest.Matchers.hasItem("INCONSISTENT"));
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("ntk_audit_alarms_raised 1.0"))
                .body(containsString("ntk_audit_alarms_total{kind=\"INCONSISTENT\"} 1.0"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(DPO)
                .queryParam("action", "audit-log.alarm").when().get("/audit-records").then().statusCode(200)
                .body("record.reason", org.hamcrest.Matchers.hasItem(containsString("leaf " + leaf))));
        // Once put right, the next run verifies the whole log again, and finds it consistent.
        LogMonitor.Run again = monitor.run();
        assertEquals(0, again.from(), "after an inconsistency the monitor starts from the first leaf");
        assertTrue(again.consistent(), again.summary());
    }

    /**
     * A2, no adoption: a record forged beyond the tree while the service was stopped is found at
     * start, never hashed into the tree nor signed; the log appends nothing until it is removed.
     */
    @Test
    @Order(3)
    void a2_aRecordForgedBeyondTheTreeIsNeverAdoptedAndStopsTheLog() throws SQLException {
        long size = appended(1);
        long nodes = TamperTest.count("select count(*) from merkle_node");
        String copy = record(size - 1);
        tamper("insert into audit_record (event_id, source, received_at, occurred_at, organisation_id, actor_username, "
                + "actor_role, action, outcome, record, leaf_index) values ('" + UUID.randomUUID() + "', 'forged', now(), "
                + "now(), 'school-sint-jan', 'nobody', 'dpo', 'case-file.open', 'GRANTED', " + quoted(copy) + ", " + size + ")");
        try {
            tree.onDatabaseReady(null); // what the service does at start
            assertTrue(tree.stopped() != null && tree.stopped().contains("from leaf " + size), tree.stopped());
            given().auth().oauth2(DPO).when().post("/audit-log/checkpoints").then().statusCode(503)
                    .contentType("application/problem+json").body("type", containsString("audit-log-stopped"));
            given().when().get("/q/health/ready").then().body(containsString("ADOPTION"));
            given().auth().oauth2(DPO).when().get("/audit-log/state").then().statusCode(200)
                    .body("appendingStopped", containsString("not in the tree"))
                    .body("alarms.kind", org.hamcrest.Matchers.hasItem("ADOPTION"));
            // New records wait: ingest appends nothing on top of the forged row.
            AuditEvents.publish(UUID.randomUUID().toString(), "k", AuditEvents.record(SCHOOL,
                    pseudonyms.of(SCHOOL, "p-after"), "bart.counsellor", "case-file.open"));
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> TamperTest.count("select count(*) from merkle_node") == nodes);
            assertEquals(size, tree.size());
            assertTrue(TamperTest.count("select count(*) from checkpoint where tree_size > " + size) == 0,
                    "nothing beyond the tree is signed");
            assertNull(TamperTest.single("select idx from merkle_node where level = 0 and idx = " + size),
                    "the forged record never became a leaf");
        } finally {
            tamper("delete from audit_record where leaf_index = " + size + " and source = 'forged'");
        }
    }
}
