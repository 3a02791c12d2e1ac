package be.needtoknow.referrals.referral;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import be.needtoknow.referrals.casefile.CaseServiceStandIn;
import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.TestTopics;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * N1, T2, A1: a note chosen for a referral's draft is only read (case-service audits the read); its
 * disclosure is recorded when the referral is sent, in the send's own transaction, one record per
 * note, naming the referral, the recipient and the referral's legal basis, and no caller's words.
 */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = CaseServiceStandIn.class, scope = TestResourceScope.MATCHING_RESOURCES)
class DisclosureTest {

    static final String COUNSELLOR = ReferralTest.COUNSELLOR;

    /** Items with two notes, the caller's free text marked in every purpose and in the question. */
    static String items(String marker, UUID caseFile, UUID firstNote, UUID secondNote) {
        return """
                {"items": [
                  {"type": "QUESTION", "purpose": "what we ask %1$s", "text": "Can you help? %1$s"},
                  {"type": "NOTE", "purpose": "what the school did %1$s", "caseFileId": "%2$s", "noteId": "%3$s"},
                  {"type": "NOTE", "purpose": "since when %1$s", "caseFileId": "%2$s", "noteId": "%4$s", "excerpt": "Weekly talks"}
                ]}""".formatted(marker, caseFile, firstNote, secondNote);
    }

    /** The audit trail as read until {@code count} records match, all of them. */
    static List<String> auditUntil(int count, java.util.function.Predicate<String> wanted) {
        AtomicInteger seen = new AtomicInteger();
        return TestTopics.readUntil(TestTopics.admin(), "ntk.audit.v1",
                r -> wanted.test(r.value()) && seen.incrementAndGet() >= count, Duration.ofSeconds(30))
                .stream().map(TestTopics.Received::value).toList();
    }

    static List<String> disclosuresOf(List<String> trail, String referral) {
        return trail.stream().filter(v -> v.contains("\"action\":\"note.disclose\"") && v.contains(referral)).toList();
    }

    /** Draft, items with two notes (marker planted), then either consent or urgent danger, then send. */
    static String sentWithTwoNotes(String marker, UUID first, UUID second, boolean urgent) {
        String id = ReferralTest.draft("clb-gent");
        String items = "items-" + UUID.randomUUID();
        given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON).header("X-Correlation-Id", items)
                .body(items(marker, UUID.randomUUID(), first, second))
                .when().put("/referrals/" + id + "/items")
                .then().statusCode(200).body("items[1].text", equalTo(CaseServiceStandIn.NOTE_TEXT))
                .body("items[2].text", equalTo("Weekly talks"));
        // Choosing the notes discloses nothing: the referral may never be sent.
        List<String> trail = auditUntil(1, v -> v.contains(items) && v.contains("referral.items"));
        assertEquals(List.of(), disclosuresOf(trail, id), "a disclosure was recorded before the referral was sent");
        if (urgent) {
            ReferralTest.post(COUNSELLOR, "/referrals/" + id + "/urgent-danger",
                    "{\"justification\": \"Visible injuries, afraid to go home tonight. %s\"}".formatted(marker), 200);
        } else {
            ReferralTest.post(COUNSELLOR, "/referrals/" + id + "/consent", ReferralTest.PUPIL_AGREES, 200);
        }
        ReferralTest.post(COUNSELLOR, "/referrals/" + id + "/send", null, 200);
        return id;
    }

    /** Exactly one disclosure record per note, for this referral, its recipient and this legal basis. */
    static void assertDisclosed(String id, String basis, UUID first, UUID second, String marker) {
        List<String> trail = auditUntil(2, v -> v.contains("\"action\":\"note.disclose\"") && v.contains(id));
        List<String> disclosures = disclosuresOf(trail, id);
        assertEquals(2, disclosures.size(), disclosures.toString());
        Set<String> resources = disclosures.stream().map(v -> v.replaceAll(".*\"resourceId\":\"([^\"]+)\".*", "$1"))
                .collect(Collectors.toSet());
        assertEquals(Set.of(id + "/notes/" + first, id + "/notes/" + second), resources);
        for (String record : disclosures) {
            assertTrue(record.contains("\"resourceType\":\"referral\"") && record.contains("\"outcome\":\"GRANTED\"")
                    && record.contains("\"purpose\":\"referral to clb-gent\"")
                    && record.contains("\"legalBasis\":\"" + basis + "\"")
                    && record.contains("\"organisationId\":\"school-sint-jan\""), record);
            assertFalse(record.contains("Weekly talks"), "a note's text in the audit trail");
        }
        assertTrue(trail.stream().anyMatch(v -> v.contains("referral.send") && v.contains(id)), "no send record");
        assertFalse(trail.stream().anyMatch(v -> v.contains(marker)), "the caller's free text reached the audit trail");
    }

    @Test
    void n1_t2_a1_aNoteChosenForADraftIsDisclosedOnlyWhenTheConsentedReferralIsSentOncePerNote() {
        String marker = "MARKER-" + UUID.randomUUID();
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        String id = sentWithTwoNotes(marker, first, second, false);
        assertDisclosed(id, "consent", first, second, marker);
    }

    @Test
    void a1_anUrgentDangerReferralsNotesAreDisclosedOnTheVitalInterestForTheDposReview() {
        String marker = "MARKER-" + UUID.randomUUID();
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        String id = sentWithTwoNotes(marker, first, second, true);
        assertDisclosed(id, "vital-interest", first, second, marker);
    }

    @Test
    void n1_t3_aSentWithdrawnOrUnknownReferralGetsNoNoteAndTheRefusalIsAudited() {
        String note = """
                {"items": [{"type": "NOTE", "purpose": "what happened", "caseFileId": "%s", "noteId": "%s"}]}"""
                .formatted(UUID.randomUUID(), UUID.randomUUID());
        // Sent (without notes), then withdrawn: its items are no longer chosen.
        String id = ReferralTest.draft("clb-gent");
        given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON).body(ReferralTest.ITEMS)
                .when().put("/referrals/" + id + "/items").then().statusCode(200);
        ReferralTest.post(COUNSELLOR, "/referrals/" + id + "/consent", ReferralTest.PUPIL_AGREES, 200);
        ReferralTest.post(COUNSELLOR, "/referrals/" + id + "/send", null, 200);
        refused(id, note, 409, "transition-not-allowed");
        ReferralTest.post(COUNSELLOR, "/referrals/" + id + "/withdraw", null, 200);
        refused(id, note, 409, "transition-not-allowed");
        // An unknown referral.
        refused(UUID.randomUUID().toString(), note, 404, "not-found");
        List<String> trail = auditUntil(1, v -> v.contains(id) && v.contains("referral.withdraw"));
        assertEquals(List.of(), disclosuresOf(trail, id), "nothing was disclosed: the referral carried no note");
    }

    static void refused(String id, String body, int status, String type) {
        String correlation = "refused-" + UUID.randomUUID();
        given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON).header("X-Correlation-Id", correlation).body(body)
                .when().put("/referrals/" + id + "/items")
                .then().statusCode(status).contentType("application/problem+json")
                .body("type", equalTo("urn:need-to-know:problem:" + type));
        String record = auditUntil(1, v -> v.contains(correlation)).stream().filter(v -> v.contains(correlation))
                .findFirst().orElseThrow();
        // referral.back_to_draft for a sent or withdrawn referral (its items can no longer change), referral.items for an unknown one.
        assertTrue(record.contains("\"action\":\"referral.") && record.contains("\"outcome\":\"REFUSED\"")
                && !record.contains("note.disclose"), record);
    }
}
