package be.needtoknow.referrals.referral;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import be.needtoknow.referrals.casefile.CaseServiceStandIn;
import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.Together;
import be.needtoknow.testing.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * T2 under concurrency: a consented referral is sent while its items are changed and
 * consent is given again, all at once. Every change of a referral locks its row, so they run one
 * after the other: at most one send wins, every loser is a 409 problem (never a 500), an edit that
 * comes after the send is refused, and the bytes in the sent event (the outbox row, read with plain
 * SQL) are exactly the items stored and covered by consent.
 */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = CaseServiceStandIn.class, scope = TestResourceScope.MATCHING_RESOURCES)
class SendRaceTest {

    private static final int AT_ONCE = 16;
    private static final int ROUNDS = 4;

    private final String counsellor = TestTokens.of("bart.counsellor", "school-sint-jan", "school", "pupil-counsellor");

    @Inject
    AgroalDataSource dataSource;

    private final ObjectMapper json = new ObjectMapper();

    private static String items(String question) {
        return """
                {"items": [
                  {"type": "QUESTION", "purpose": "what we ask the CLB", "text": "%s"},
                  {"type": "CONTACT", "purpose": "to reach the referring counsellor", "name": "Bart Claes",
                   "email": "bart.counsellor@school-sint-jan.example"}
                ]}""".formatted(question);
    }

    private record Stored(String status, String items, String itemsHash, String consentItemsHash) {
    }

    private Stored stored(String id) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select status, items, items_hash, consent_items_hash from referral where id = ?::uuid")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                return new Stored(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
            }
        }
    }

    /** The payloads of the referral's sent events in the outbox, in their order. */
    private List<String> sentEvents(String id) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select payload from outbox_event where event_type = ? and subject = ? order by occurred_at")) {
            s.setString(1, ReferralPayload.SENT);
            s.setString(2, "referral/" + id);
            List<String> payloads = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    payloads.add(rs.getString(1));
                }
            }
            return payloads;
        }
    }

    @Test
    void t2_theItemsSentAreTheConsentedItemsWhenEditsAndConsentRaceTheSend() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String id = given().auth().oauth2(counsellor).contentType(ContentType.JSON)
                    .body("{\"pupilId\": \"%s\", \"recipientId\": \"clb-gent\"}".formatted(CaseServiceStandIn.PUPIL_OF_13))
                    .when().post("/referrals").then().statusCode(201).extract().path("id");
            String consented = "round %d: the consented question".formatted(round);
            given().auth().oauth2(counsellor).contentType(ContentType.JSON).body(items(consented))
                    .when().put("/referrals/" + id + "/items").then().statusCode(200);
            given().auth().oauth2(counsellor).contentType(ContentType.JSON).body(ReferralTest.PUPIL_AGREES)
                    .when().post("/referrals/" + id + "/consent").then().statusCode(200).body("status", equalTo("READY"));

            int r = round;
            List<Response> answers = Together.attempts(AT_ONCE, i -> switch (i % 4) {
                case 0 -> given().auth().oauth2(counsellor).when().post("/referrals/" + id + "/send");
                case 1 -> given().auth().oauth2(counsellor).contentType(ContentType.JSON).body(ReferralTest.PUPIL_AGREES)
                        .when().post("/referrals/" + id + "/consent");
                default -> given().auth().oauth2(counsellor).contentType(ContentType.JSON)
                        .body(items("round %d: edit %d".formatted(r, i)))
                        .when().put("/referrals/" + id + "/items");
            });
            int sends = 0;
            Set<String> editedTo = new HashSet<>();
            for (int i = 0; i < answers.size(); i++) {
                Response answer = answers.get(i);
                if (answer.statusCode() == 200) {
                    if (i % 4 == 0) {
                        sends++;
                        assertEquals("SENT", answer.path("status"));
                    } else if (i % 4 >= 2) {
                        assertEquals("DRAFT", answer.path("status"), "an edit sends the referral back to draft (T2)");
                        editedTo.add("round %d: edit %d".formatted(r, i));
                    }
                } else {
                    assertEquals(409, answer.statusCode(), answer.asString());
                    assertEquals("application/problem+json", answer.contentType(), answer.asString());
                }
            }
            assertTrue(sends <= 1, "sent " + sends + " times");
            if (sends == 0) {
                // Edited first, and no consent after the last edit: nothing left; now consent and send.
                assertEquals(List.of(), sentEvents(id), "an event without a successful send");
                given().auth().oauth2(counsellor).contentType(ContentType.JSON).body(ReferralTest.PUPIL_AGREES)
                        .when().post("/referrals/" + id + "/consent").then().statusCode(200);
                given().auth().oauth2(counsellor).when().post("/referrals/" + id + "/send").then().statusCode(200);
            }
            // Afterwards no edit reaches the referral any more.
            given().auth().oauth2(counsellor).contentType(ContentType.JSON).body(items("too late"))
                    .when().put("/referrals/" + id + "/items").then().statusCode(409)
                    .contentType("application/problem+json");

            Stored row = stored(id);
            assertEquals("SENT", row.status());
            assertEquals(row.itemsHash(), row.consentItemsHash(), "consent covers the stored items (T2)");
            assertEquals(Referrals.sha256(row.items()), row.itemsHash());
            List<String> events = sentEvents(id);
            assertEquals(1, events.size(), "one sent event");
            JsonNode sentItems = json.readTree(events.get(0)).get("items");
            assertEquals(json.readTree(row.items()), sentItems, "the event carries other items than the consented ones");
            String question = sentItems.get(0).get("text").asText();
            // The items sent are the consented ones from before the race, or those of an edit that
            // was answered 200 (and consented to after it): never those of an edit that was refused.
            assertTrue(question.equals(consented) || editedTo.contains(question),
                    "sent '" + question + "', which no successful edit stored");
            if (sends == 1 && !editedTo.isEmpty()) {
                assertTrue(editedTo.contains(question), "an edit answered 200 but the send before it went out with "
                        + "the old items");
            }
        }
    }

    /**
     * X, T2: a transfer's parents answer its notice (agree and object, many times at once) while the
     * school sends it and changes its items. The notice is answered once; a transfer goes only when
     * its notice was agreed before the send, never beside an objection that was answered 200; and
     * what was sent is what is stored, covered by the discussion.
     */
    @Test
    void x_t2_theParentsAnswersRaceTheSendAndTheEditsOfATransfer() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String id = given().auth().oauth2(counsellor).contentType(ContentType.JSON)
                    .body("{\"pupilId\": \"%s\", \"recipientId\": \"school-de-linde\"}"
                            .formatted(CaseServiceStandIn.PUPIL_OF_10))
                    .when().post("/referrals").then().statusCode(201).extract().path("id");
            given().auth().oauth2(counsellor).contentType(ContentType.JSON).body(items("round %d: transfer".formatted(round)))
                    .when().put("/referrals/" + id + "/items").then().statusCode(200);
            given().auth().oauth2(counsellor).contentType(ContentType.JSON).body("""
                    {"consulted": [{"party": "PUPIL", "when": "2026-11-20T10:00:00Z", "how": "conversation", "answer": "HEARD"},
                                   {"party": "PARENTS", "when": "2026-11-20T10:00:00Z", "how": "meeting", "answer": "AGREED"}],
                     "parentsNotInformed": false}""")
                    .when().post("/referrals/" + id + "/consent").then().statusCode(200);
            // X: the parents' link reached them through case-service (its stand-in), not the counsellor.
            List<String> links = CaseServiceStandIn.links(id);
            assertEquals(1, links.size());
            String link = links.get(0);
            int r = round;
            List<Response> answers = Together.attempts(AT_ONCE, i -> switch (i % 4) {
                case 0 -> given().auth().oauth2(counsellor).when().post("/referrals/" + id + "/send");
                case 1 -> given().contentType(ContentType.JSON).when().post(link + "/agreement");
                case 2 -> given().contentType(ContentType.JSON).body("{\"reason\": \"Not this list.\"}")
                        .when().post(link + "/objection");
                default -> given().auth().oauth2(counsellor).contentType(ContentType.JSON)
                        .body(items("round %d: edit %d".formatted(r, i))).when().put("/referrals/" + id + "/items");
            });
            int sends = 0;
            int agreed = 0;
            int objected = 0;
            for (int i = 0; i < answers.size(); i++) {
                Response answer = answers.get(i);
                if (answer.statusCode() == 200) {
                    switch (i % 4) {
                        case 0 -> sends++;
                        case 1 -> agreed++;
                        case 2 -> objected++;
                        default -> assertEquals("DRAFT", answer.path("status"));
                    }
                } else {
                    assertEquals(409, answer.statusCode(), answer.asString());
                    assertEquals("application/problem+json", answer.contentType(), answer.asString());
                }
            }
            assertTrue(agreed + objected <= 1, "the notice was answered " + (agreed + objected) + " times");
            assertTrue(sends <= 1, "sent " + sends + " times");
            assertTrue(sends == 0 || agreed == 1, "sent without the parents' agreement");
            Stored row = stored(id);
            List<String> events = sentEvents(id);
            try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                    "select count(*) filter (where n.answer is not null), "
                            + "count(*) filter (where n.answer = 'OBJECTED' and n.objection = 'Not this list.'), "
                            + "count(*) filter (where r.sent_at is not null and n.superseded_at is null "
                            + "  and n.answer = 'AGREED' and n.answered_at <= r.sent_at) "
                            + "from transfer_notice n join referral r on r.id = n.referral_id where n.referral_id = ?::uuid")) {
                s.setString(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    assertEquals(agreed + objected, rs.getLong(1), "the stored answers are the answers given 200");
                    assertEquals(objected, rs.getLong(2));
                    assertEquals(sends, rs.getLong(3), "a send without an agreement from before it");
                }
            }
            if (sends == 1) {
                assertEquals("SENT", row.status());
                assertEquals(row.itemsHash(), row.consentItemsHash());
                assertEquals(1, events.size());
                assertEquals(json.readTree(row.items()), json.readTree(events.get(0)).get("items"));
                assertEquals("round %d: transfer".formatted(r), json.readTree(row.items()).get(0).get("text").asText(),
                        "the list the parents agreed to is the list sent");
            } else {
                assertTrue(!"SENT".equals(row.status()) && events.isEmpty(), "sent without a successful send");
            }
        }
    }
}
