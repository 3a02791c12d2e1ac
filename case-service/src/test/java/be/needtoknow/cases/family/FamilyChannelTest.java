package be.needtoknow.cases.family;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import be.needtoknow.cases.Fixtures;
import be.needtoknow.common.link.LinkSecrets;
import be.needtoknow.stack.Mailboxes;
import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.TestTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * X: the family channel as referral-service uses it for a transfer's notices. The mail goes through
 * the test stack's real SMTP server and is read back over IMAP, as the family reads it.
 */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
class FamilyChannelTest {

    private String pupil;
    private UUID referral;
    private String path;

    @BeforeEach
    void world() {
        Fixtures.importStaff();
        pupil = Fixtures.newPupil(Fixtures.SCHOOL);
        referral = UUID.randomUUID();
        path = "/transfer-notices/" + LinkSecrets.link(UUID.randomUUID(), LinkSecrets.newSecret());
    }

    private static String request(UUID referral, String grant, String addressee, String path) {
        return """
                {"referralId": "%s", "grant": "%s", "addressee": "%s", "path": "%s"}""".formatted(referral, grant,
                addressee, path);
    }

    private int familyMessages() {
        return QuarkusTransaction.requiringNew().call(() -> (int) FamilyMessage.count("pupilId", pupil));
    }

    @Test
    void x_referralServicesGrantSendsTheNoticeToEachParentAndTheAnswerSaysOnlyThatItWent() {
        String grant = Fixtures.referralGrant(referral, "bart.counsellor", Fixtures.SCHOOL, pupil);
        String answer = given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                .body(request(referral, grant, "PARENTS", path))
                .when().post("/pupils/" + pupil + "/family-messages")
                .then().statusCode(201)
                .body("kind", equalTo("TRANSFER_NOTICE")).body("addressee", equalTo("PARENTS"))
                .body("channel", equalTo("MAIL")).body("addresses", equalTo(2))
                .body("summary", containsString("sent to the parents (2 addresses) by e-mail on"))
                .extract().asString();
        String secret = path.substring(path.indexOf('.') + 1);
        assertFalse(answer.contains(secret) || answer.contains("@example.org"), "the answer carries the link or an address");
        for (int parent : List.of(1, 2)) {
            Fixtures.familyLinkPath(Fixtures.parentAddress(pupil, parent), "transfer-notices");
            List<Mailboxes.Mail> mails = TestStack.mailbox(Fixtures.parentAddress(pupil, parent));
            assertEquals(1, mails.size(), "one message per address");
            assertEquals("http://127.0.0.1:8082" + path, mails.get(0).link("transfer-notices").orElseThrow());
            assertTrue(mails.get(0).text().contains("Beste ouders"), mails.get(0).text());
        }
        assertTrue(TestStack.mailbox(Fixtures.pupilAddress(pupil)).isEmpty(), "the pupil got the parents' notice");
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                .body(request(referral, Fixtures.referralGrant(referral, "bart.counsellor", Fixtures.SCHOOL, pupil), "PUPIL",
                        path))
                .when().post("/pupils/" + pupil + "/family-messages")
                .then().statusCode(201).body("addresses", equalTo(1));
        Fixtures.familyLinkPath(Fixtures.pupilAddress(pupil), "transfer-notices");
        assertTrue(TestStack.mailbox(Fixtures.pupilAddress(pupil)).get(0).text().startsWith("Dag Lotte"));
    }

    @Test
    void x_aStaffMemberCannotSendTheFamilyALinkOfTheirOwn() {
        String othersGrant = Fixtures.referralGrant(referral, "bert.counsellor", Fixtures.SCHOOL, pupil);
        String otherPupilsGrant = Fixtures.referralGrant(referral, "bart.counsellor", Fixtures.SCHOOL, "p-other");
        for (String grant : List.of("forged", othersGrant, otherPupilsGrant)) {
            given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                    .body(request(referral, grant, "PARENTS", path))
                    .when().post("/pupils/" + pupil + "/family-messages")
                    .then().statusCode(403).contentType("application/problem+json").body("rule", equalTo("X"));
        }
        // Only a transfer notice's page: no link to anywhere else.
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                .body(request(referral, Fixtures.referralGrant(referral, "bart.counsellor", Fixtures.SCHOOL, pupil), "PARENTS",
                        "/access-packages/x.y"))
                .when().post("/pupils/" + pupil + "/family-messages")
                .then().statusCode(400).contentType("application/problem+json");
        assertEquals(0, familyMessages());
        assertTrue(TestStack.mailbox(Fixtures.parentAddress(pupil, 1)).isEmpty(), "a refused request sent mail");
    }

    @Test
    void x_withoutARegisteredAddressNothingIsSentAndTheProblemSaysWhy() {
        String bare = "p-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(Fixtures.schoolSystem(Fixtures.SCHOOL)).contentType(ContentType.JSON)
                .body("""
                        {"pupils": [{"pupilId": "%s", "givenName": "Mila", "familyName": "Peeters",
                                     "birthDate": "2013-05-01", "classGroup": "1A",
                                     "parents": [{"name": "An Peeters", "email": "an.%s@example.org"}]}]}""".formatted(bare, bare))
                .when().put("/pupils").then().statusCode(200);
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                .body(request(referral, Fixtures.referralGrant(referral, "bart.counsellor", Fixtures.SCHOOL, bare), "PUPIL",
                        path))
                .when().post("/pupils/" + bare + "/family-messages")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", containsString("no-family-contact")).body("rule", equalTo("X"));
        // An unknown pupil of the caller's school is 404, as everywhere.
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                .body(request(referral, Fixtures.referralGrant(referral, "bart.counsellor", Fixtures.SCHOOL, "p-none"), "PARENTS",
                        path))
                .when().post("/pupils/p-none/family-messages")
                .then().statusCode(404);
        given().auth().oauth2(TestTokens.of("frank.dpo", Fixtures.SCHOOL, "school", "dpo")).contentType(ContentType.JSON)
                .body(request(referral, "x", "PARENTS", path))
                .when().post("/pupils/" + pupil + "/family-messages")
                .then().statusCode(403);
    }
}
