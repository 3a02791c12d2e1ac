package be.needtoknow.audit.tree;

import static be.needtoknow.audit.tree.TamperTest.count;
import static be.needtoknow.audit.tree.TamperTest.superuser;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import be.needtoknow.audit.ConsoleAndWitnesses;
import be.needtoknow.common.audit.PupilPseudonyms;
import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.TestTokens;
import be.needtoknow.witness.Witness;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * A2, the parties watch each other: two witnesses of other parties (the project's own witness
 * program, each with its own key and storage) cosign each checkpoint by the C2SP tlog-witness
 * protocol; the log serves the checkpoint with their cosignatures and reports per witness the
 * largest size it cosigned. A tail cut as the database superuser (records, leaves, checkpoints and
 * cosignatures removed) is found by the witnesses when the log signs on; a history rewritten after
 * such a cut (a fork) is refused by them. Both raise the alarm. A run of the service shared only
 * with ConsoleSignInTest (ConsoleAndWitnesses), the tests in order.
 */
@QuarkusTest
@TestProfile(ConsoleAndWitnesses.class)
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class CosignatureTest {

    static final String ORIGIN = "audit.need-to-know.local";
    static final String LOG_KEY = "dev-only.audit.need-to-know.local+9f356c11+AUB1gWFQ+RRLV+Ku6LNT6Z0yMMoW+EvCJYFIJ46DQVaU";
    static final List<Witness> WITNESSES = new ArrayList<>();

    /** Two witnesses, started before the service, which is configured with them (quorum 2). */
    public static synchronized Map<String, String> twoWitnesses() {
        try {
            if (WITNESSES.isEmpty()) {
                for (String party : List.of("clb-gent", "school-board")) {
                    WITNESSES.add(Witness.start(new Witness.Config(Witness.generateKey("test-only.witness." + party),
                            List.of(ORIGIN + " " + LOG_KEY), Files.createTempDirectory("witness-" + party))));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("ntk.audit.witnesses", String.join(",", WITNESSES.stream()
                .map(w -> w.url() + " " + w.verifierKey()).toList()), "ntk.audit.witness-quorum", "2");
    }

    @AfterAll
    static void stopWitnesses() {
        WITNESSES.forEach(Witness::close);
    }

    private static final String SCHOOL = "school-sint-jan";
    private final String DPO = TestTokens.of("frank.dpo", SCHOOL, "school", "dpo");
    private final HttpClient http = HttpClient.newHttpClient();

    @Inject
    MerkleLog tree;

    @Inject
    PupilPseudonyms pseudonyms;

    long appended(int records) {
        return QuietLog.appended(tree, pseudonyms, records);
    }

    String signed() {
        return given().auth().oauth2(DPO).when().post("/audit-log/checkpoints").then().statusCode(200).extract().asString();
    }

    /** What the witness itself keeps: its latest cosigned checkpoint, from its own storage. */
    String heldBy(Witness witness) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(witness.url() + "/checkpoint?origin="
                + URLEncoder.encode(ORIGIN, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    static String cosignatureLine(String note, Witness witness) {
        return note.lines().filter(l -> l.startsWith("\u2014 " + witness.name() + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no cosignature of " + witness.name() + " in\n" + note));
    }

    @Test
    @Order(1)
    void a2_eachCheckpointIsCosignedByBothWitnessesAndServedWithTheirCosignatures() throws Exception {
        long size = 0;
        for (int round = 0; round < 2; round++) { // the second round goes with a consistency proof
            size = appended(3);
            String note = signed();
            assertTrue(note.startsWith(ORIGIN + "\n" + size + "\n"), note);
            for (Witness witness : WITNESSES) {
                String held = heldBy(witness);
                assertTrue(held.startsWith(ORIGIN + "\n" + size + "\n"), "the witness keeps what it cosigned: " + held);
                assertEquals(cosignatureLine(held, witness), cosignatureLine(note, witness),
                        "the log serves the witness's own cosignature");
            }
            String served = given().auth().oauth2(DPO).when().get("/audit-log/checkpoint").then().statusCode(200)
                    .extract().asString();
            assertEquals(note, served);
            given().auth().oauth2(DPO).when().get("/audit-log/state").then().statusCode(200)
                    .body("witnessQuorum", equalTo(2))
                    .body("witnessedSize", equalTo((int) size))
                    .body("witnesses.largestCosignedSize", org.hamcrest.Matchers.everyItem(equalTo((int) size)))
                    .body("witnesses.name", org.hamcrest.Matchers.contains(WITNESSES.get(0).name(), WITNESSES.get(1).name()))
                    .body("alarms", org.hamcrest.Matchers.empty());
        }
        given().auth().oauth2(DPO).when().post("/audit-log/verification").then().statusCode(200)
                .body("consistent", equalTo(true)).body("witnessedSize", equalTo((int) size));
    }

    /** Deletes, as the superuser, every record, leaf, checkpoint and cosignature from this size on. */
    static void cutTheTail(long from) throws SQLException {
        try (Connection c = superuser(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            for (String table : List.of("audit_record", "merkle_node", "checkpoint", "cosignature")) {
                s.execute("alter table " + table + " disable trigger user");
            }
            s.execute("delete from audit_record where leaf_index >= " + from);
            // Every node over a leaf from the cut on: level l, index i covers leaves [i·2^l, (i+1)·2^l).
            s.execute("delete from merkle_node where (idx + 1) * (1::bigint << level) > " + from);
            s.execute("delete from cosignature where tree_size > " + from);
            s.execute("delete from checkpoint where tree_size > " + from);
            for (String table : List.of("audit_record", "merkle_node", "checkpoint", "cosignature")) {
                s.execute("alter table " + table + " enable trigger user");
            }
            c.commit();
        }
    }

    @Test
    @Order(2)
    void a2_aTailCutWithItsCheckpointsIsFoundByTheWitnesses() throws Exception {
        long cosigned = appended(4);
        signed();
        long cut = cosigned - 3;
        cutTheTail(cut);
        tree.onDatabaseReady(null); // the service as it starts on the shortened log
        assertEquals(cut, tree.size());
        given().auth().oauth2(DPO).when().post("/audit-log/verification").then().statusCode(200)
                .body("consistent", equalTo(true)); // the database alone no longer tells
        long regrown = appended(1);
        assertTrue(regrown < cosigned);
        signed();
        given().when().get("/q/health/ready").then().body(containsString("TAIL_CUT"));
        given().auth().oauth2(DPO).when().get("/audit-log/state").then().statusCode(200)
                .body("alarms.kind", hasItem("TAIL_CUT"))
                .body("alarms.detail", hasItem(containsString("has cosigned " + cosigned + " records of this log, which now holds ")));
        assertEquals(0, count("select count(*) from cosignature where tree_size > " + cut),
                "no witness cosigned the shortened log");
    }

    @Test
    @Order(3)
    void a2_aHistoryRewrittenPastWhatTheWitnessesCosignedIsRefusedAsAFork() throws Exception {
        long witnessed = WITNESSES.stream().mapToLong(w -> {
            try {
                return Long.parseLong(heldBy(w).lines().skip(1).findFirst().orElseThrow());
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }).max().orElseThrow();
        long size = tree.size();
        long forked = appended((int) (witnessed - size) + 2); // other records where the cut ones were, and beyond
        assertTrue(forked > witnessed);
        signed();
        given().auth().oauth2(DPO).when().get("/audit-log/state").then().statusCode(200)
                .body("alarms.detail", hasItem(containsString(": not consistent with the checkpoint of size " + witnessed
                        + " it cosigned (a fork)")));
        assertEquals(0, count("select count(*) from cosignature where tree_size >= " + forked),
                "no witness cosigned the rewritten history");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(DPO)
                .queryParam("action", "audit-log.alarm").when().get("/audit-records").then().statusCode(200)
                .body("record.resourceId", hasItem("WITNESS_REFUSED")));
    }
}
