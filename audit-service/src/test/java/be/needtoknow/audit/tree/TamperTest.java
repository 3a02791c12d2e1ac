package be.needtoknow.audit.tree;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import be.needtoknow.audit.AuditEvents;
import be.needtoknow.common.audit.PupilPseudonyms;
import be.needtoknow.testing.TestStack;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A2: what the database superuser can still do — the append-only triggers bind the service's own
 * user, not a superuser — is detected by verification and located: a changed field, a deleted
 * record, an inserted one, two swapped, and a record changed together with its stored leaf hash
 * (found through the signed checkpoint). Each scenario is undone before the next.
 */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
class TamperTest {

    @Inject
    Verification verification;

    @Inject
    MerkleLog tree;

    @Inject
    Checkpoints checkpoints;

    @Inject
    PupilPseudonyms pseudonyms;

    long size;

    /** At least five records in the log, and ingest quiet (the log's size steady for a second). */
    @BeforeEach
    void aQuietLogOfSomeRecords() {
        for (int i = 0; i < 5; i++) {
            AuditEvents.publish(UUID.randomUUID().toString(), "k", AuditEvents.record("school-sint-jan",
                    pseudonyms.of("school-sint-jan", "p-" + i), "bart.counsellor", "case-file.open"));
        }
        AtomicLong last = new AtomicLong(-1);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            long now = tree.size();
            return now >= 5 && now == last.getAndSet(now);
        });
        size = tree.size();
        TreeVerifier.Report before = verification.verify(null);
        assertTrue(before.consistent(), "the log is sound before tampering: " + before.summary());
    }

    static Connection superuser() throws SQLException {
        String url = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
        return DriverManager.getConnection(url, "postgres", "postgres");
    }

    /** Runs statements as the superuser, with the append-only triggers out of the way. */
    static void tamper(String... statements) throws SQLException {
        try (Connection c = superuser(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("alter table audit_record disable trigger user");
            s.execute("alter table merkle_node disable trigger user");
            for (String statement : statements) {
                s.execute(statement);
            }
            s.execute("alter table audit_record enable trigger user");
            s.execute("alter table merkle_node enable trigger user");
            c.commit();
        }
    }

    static String record(long leaf) throws SQLException {
        try (Connection c = superuser();
                PreparedStatement s = c.prepareStatement("select record from audit_record where leaf_index = ?")) {
            s.setLong(1, leaf);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getString(1);
            }
        }
    }

    static long count(String query) throws SQLException {
        return Long.parseLong(single(query));
    }

    /** The first column of the first row, as text; null when there is no row. */
    static String single(String query) throws SQLException {
        try (Connection c = superuser(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(query)) {
            return r.next() ? r.getString(1) : null;
        }
    }

    static String quoted(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    void assertLocated(long leaf, String problem) {
        TreeVerifier.Report report = verification.verify(null);
        assertFalse(report.consistent(), report.summary());
        assertNotNull(report.firstMismatch(), report.summary());
        assertEquals(leaf, report.firstMismatch().leafIndex(), report.summary());
        assertTrue(report.firstMismatch().problem().startsWith(problem), report.summary());
        assertTrue(report.summary().contains("leaf " + leaf), report.summary());
    }

    @Test
    void a2_aChangedFieldIsDetectedAndLocated() throws SQLException {
        long leaf = size - 3;
        String original = record(leaf);
        String changed = original.replaceFirst("\"actor\":\\{", "\"actor\":{\"note\":\"x\",");
        tamper("update audit_record set record = " + quoted(changed) + " where leaf_index = " + leaf);
        try {
            assertLocated(leaf, "changed");
        } finally {
            tamper("update audit_record set record = " + quoted(original) + " where leaf_index = " + leaf);
        }
        TreeVerifier.Report after = verification.verify(null);
        assertTrue(after.consistent(), after.summary());
    }

    /**
     * The columns the DPO searches on are stored beside the hashed record: a superuser who changes
     * one (moves an access out of a pupil's report, renames who did it) is found and located.
     */
    @Test
    void a2_aChangedSearchedColumnIsDetectedAndLocated() throws SQLException {
        long leaf = size - 2;
        Map<String, String> changes = new LinkedHashMap<>();
        changes.put("organisation_id", "'school-de-linde'");
        changes.put("pupil_pseudonym", quoted(pseudonyms.of("school-sint-jan", "someone-else")));
        changes.put("actor_username", "'eva.discipline'");
        changes.put("actor_role", "'dpo'");
        changes.put("actor_organisation_id", "'clb-gent'");
        changes.put("action", "'case-file.read'");
        changes.put("outcome", "'REFUSED'");
        changes.put("occurred_at", "occurred_at - interval '3 days'");
        assertEquals(TreeVerifier.SEALED, List.copyOf(changes.keySet()), "every sealed column is tried");
        for (Map.Entry<String, String> change : changes.entrySet()) {
            String column = change.getKey();
            tamper("create table sealed_before as select * from audit_record where leaf_index = " + leaf,
                    "update audit_record set " + column + " = " + change.getValue() + " where leaf_index = " + leaf);
            try {
                assertLocated(leaf, "changed: its " + column);
            } finally {
                tamper("update audit_record a set " + column + " = b." + column + " from sealed_before b "
                        + "where a.leaf_index = b.leaf_index", "drop table sealed_before");
            }
        }
        TreeVerifier.Report after = verification.verify(null);
        assertTrue(after.consistent(), after.summary());
    }

    @Test
    void a2_aDeletedRecordIsDetectedAndLocated() throws SQLException {
        long leaf = size - 2;
        tamper("create table deleted_record as select * from audit_record where leaf_index = " + leaf,
                "delete from audit_record where leaf_index = " + leaf);
        try {
            assertLocated(leaf, "missing");
        } finally {
            tamper("insert into audit_record (position, event_id, source, received_at, occurred_at, organisation_id, "
                    + "pupil_pseudonym, actor_username, actor_role, actor_organisation_id, action, outcome, record, leaf_index) "
                    + "overriding system value select position, event_id, source, received_at, occurred_at, organisation_id, "
                    + "pupil_pseudonym, actor_username, actor_role, actor_organisation_id, action, outcome, record, leaf_index "
                    + "from deleted_record",
                    "drop table deleted_record");
        }
        TreeVerifier.Report after = verification.verify(null);
        assertTrue(after.consistent(), after.summary());
    }

    @Test
    void a2_anInsertedRecordIsDetectedAndLocated() throws SQLException {
        String copy = record(size - 1);
        tamper("insert into audit_record (event_id, source, received_at, occurred_at, organisation_id, actor_username, "
                + "actor_role, action, outcome, record, leaf_index) values ('" + UUID.randomUUID() + "', 'forged', now(), "
                + "now(), 'school-sint-jan', 'nobody', 'dpo', 'case-file.open', 'GRANTED', " + quoted(copy) + ", " + size + ")");
        try {
            assertLocated(size, "not in the tree");
        } finally {
            tamper("delete from audit_record where leaf_index = " + size + " and source = 'forged'");
        }
        TreeVerifier.Report after = verification.verify(null);
        assertTrue(after.consistent(), after.summary());
    }

    @Test
    void a2_twoSwappedRecordsAreDetectedAndLocated() throws SQLException {
        long a = size - 5;
        long b = size - 4;
        String first = record(a);
        String second = record(b);
        tamper("update audit_record set record = " + quoted(second) + " where leaf_index = " + a,
                "update audit_record set record = " + quoted(first) + " where leaf_index = " + b);
        try {
            assertLocated(a, "changed");
        } finally {
            tamper("update audit_record set record = " + quoted(first) + " where leaf_index = " + a,
                    "update audit_record set record = " + quoted(second) + " where leaf_index = " + b);
        }
        TreeVerifier.Report after = verification.verify(null);
        assertTrue(after.consistent(), after.summary());
    }

    @Test
    void a2_aRecordChangedWithItsLeafHashBreaksTheSignedCheckpoint() throws SQLException {
        long signedSize = checkpoints.sign().treeSize();
        long leaf = signedSize - 2;
        String original = record(leaf);
        String changed = original.replace("\"case-file.open\"", "\"case-file.list\"");
        assertFalse(changed.equals(original));
        byte[] forgedLeaf = IndependentVerifier.sha256((byte) 0, changed.getBytes(StandardCharsets.UTF_8));
        byte[] originalLeaf = IndependentVerifier.sha256((byte) 0, original.getBytes(StandardCharsets.UTF_8));
        // A careful forger changes the searched column too, so that only the signed checkpoint tells.
        tamper("update audit_record set record = " + quoted(changed) + ", action = 'case-file.list' where leaf_index = "
                + leaf, "update merkle_node set hash = '\\x" + java.util.HexFormat.of().formatHex(forgedLeaf)
                        + "' where level = 0 and idx = " + leaf);
        try {
            TreeVerifier.Report report = verification.verify(null);
            assertFalse(report.consistent(), report.summary());
            assertEquals(signedSize, report.firstBrokenCheckpoint(), report.summary());
            assertTrue(report.summary().contains("no longer hash to checkpoint " + signedSize), report.summary());
        } finally {
            tamper("update audit_record set record = " + quoted(original) + ", action = 'case-file.open' where "
                    + "leaf_index = " + leaf, "update merkle_node set hash = '\\x" + java.util.HexFormat.of().formatHex(originalLeaf)
                            + "' where level = 0 and idx = " + leaf);
        }
        TreeVerifier.Report after = verification.verify(null);
        assertTrue(after.consistent(), after.summary());
    }
}
