package be.needtoknow.cases.access;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import be.needtoknow.cases.Fixtures;
import be.needtoknow.common.referral.AccessGrant;
import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.TestTokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * T4, M1: the right-of-access package holds what referral-service holds on the pupil, asked with a
 * signed access grant for the verified link, here from a narrow stand-in of referral-service.
 */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = ReferralServiceStandIn.class, scope = TestResourceScope.MATCHING_RESOURCES)
class AccessPackageReferralsTest {

    static final String BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    /** The DPO registers the request; the link that reached the requester's own mailbox. */
    static String register(String pupil, String requestedBy) {
        given().auth().oauth2(TestTokens.of("frank.dpo", Fixtures.SCHOOL, "school", "dpo")).contentType(ContentType.JSON)
                .body("""
                        {"requestedBy": "%s", "requestedAt": "2026-11-20T09:30:00Z",
                         "identityCheck": "eID shown at the school's desk"}""".formatted(requestedBy))
                .when().post("/pupils/" + pupil + "/access-requests").then().statusCode(201);
        return Fixtures.familyLinkPath(requestedBy.equals("PARENTS") ? Fixtures.parentAddress(pupil, 1)
                : Fixtures.pupilAddress(pupil), "access-packages");
    }

    static UUID requestId(String path) {
        String link = path.substring("/access-packages/".length());
        return UUID.fromString(link.substring(0, link.indexOf('.')));
    }

    @Test
    void t4_thePackageHoldsTheReferralsAsSentFromReferralService() {
        Fixtures.importStaff();
        String pupil = Fixtures.newPupil(Fixtures.SCHOOL); // born 2012-03-14: 12 or more
        String parents = register(pupil, "PARENTS");
        String body = given().accept(ContentType.JSON).when().get(parents).then().statusCode(200)
                .body("referrals", hasSize(1))
                .body("referrals[0].kind", equalTo("REFERRAL"))
                .body("referrals[0].recipient", equalTo("CLB Gent"))
                .body("referrals[0].status", equalTo("RECEIVED"))
                .body("referrals[0].items.type", contains("QUESTION", "CONTACT"))
                .body("referrals[0].items[0].text", equalTo(ReferralServiceStandIn.QUESTION))
                .body("referrals[0].items[0].purpose", equalTo("what we ask the CLB"))
                .body("referrals[0].consent.consulted.how", contains("conversation at school", "phone call"))
                .body("referrals[0].feedback[0].text", equalTo(ReferralServiceStandIn.FEEDBACK))
                .body("leftOut", hasItem("referrals-kept-from-parents"))
                .body("leftOut", hasItem("pupil-conversation-notes"))
                .body("leftOut", not(hasItem("referrals-unavailable")))
                .extract().asString();
        assertFalse(body.contains("\"grant\""), "the grant reached the family");

        // The grant case-service sent: this request, school and pupil, for the parents of a pupil of 12 or more (M1).
        AccessGrant grant = AccessGrant.verify(ReferralServiceStandIn.lastGrant(), ReferralServiceStandIn.KEY, Instant.now())
                .orElseThrow(() -> new AssertionError("the grant does not verify"));
        assertEquals(requestId(parents), grant.requestId());
        assertEquals(Fixtures.SCHOOL, grant.schoolId());
        assertEquals(pupil, grant.pupilId());
        assertEquals(AccessGrant.Requester.PARENTS, grant.requester());
        assertTrue(grant.parentsMayNotSee(), "the parents of a pupil of 12 or more");
        assertTrue(grant.expiresAt() <= Instant.now().getEpochSecond() + AccessGrant.VALIDITY_SECONDS);

        // The page, in plain Dutch for the parents: the referral, and a line for what was kept from them.
        String html = given().accept(BROWSER).when().get(parents).then().statusCode(200).extract().asString();
        for (String text : List.of("Doorverwijzingen en overdrachten", "Doorverwijzing naar CLB Gent",
                ReferralServiceStandIn.QUESTION, "Met wie het vooraf besproken werd", "phone call",
                ReferralServiceStandIn.FEEDBACK, "Een doorverwijzing waarvan Lotte, als leerling van 12 jaar of ouder")) {
            assertTrue(html.contains(text), text + " is not on the page:\n" + html);
        }
        for (String jargon : List.of("REFERRAL", "RECEIVED", "QUESTION", "referrals-kept-from-parents", "null")) {
            assertFalse(html.contains(jargon), jargon);
        }

        // The pupil's own package: the grant says so, nothing is kept from the pupil.
        given().accept(ContentType.JSON).when().get(register(pupil, "PUPIL")).then().statusCode(200)
                .body("referrals", hasSize(1))
                .body("leftOut", not(hasItem("referrals-kept-from-parents")));
        AccessGrant own = AccessGrant.verify(ReferralServiceStandIn.lastGrant(), ReferralServiceStandIn.KEY, Instant.now())
                .orElseThrow();
        assertEquals(AccessGrant.Requester.PUPIL, own.requester());
        assertFalse(own.parentsMayNotSee());
    }
}
