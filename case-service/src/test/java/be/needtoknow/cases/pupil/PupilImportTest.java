package be.needtoknow.cases.pupil;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import be.needtoknow.cases.Fixtures;
import be.needtoknow.common.audit.PupilPseudonyms;
import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.TestTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
class PupilImportTest {

    private static String batch(String... rows) {
        return "{\"pupils\": [" + String.join(",", rows) + "]}";
    }

    private static String row(String id, String birthDate) {
        return """
                {"pupilId": "%s", "givenName": "Yusuf", "familyName": "Demir", "birthDate": "%s", "classGroup": "2A"}"""
                .formatted(id, birthDate);
    }

    private static String id() {
        return "p-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void resendingTheSameBatchChangesNothing() {
        String a = id();
        String b = id();
        String body = batch(row(a, "2011-09-02"), row(b, "2012-01-30"));
        given().auth().oauth2(Fixtures.schoolSystem(Fixtures.SCHOOL)).contentType(ContentType.JSON).body(body)
                .when().put("/pupils")
                .then().statusCode(200).body("received", equalTo(2)).body("created", equalTo(2));
        given().auth().oauth2(Fixtures.schoolSystem(Fixtures.SCHOOL)).contentType(ContentType.JSON).body(body)
                .when().put("/pupils")
                .then().statusCode(200).body("created", equalTo(0)).body("updated", equalTo(0))
                .body("unchanged", equalTo(2));
        given().auth().oauth2(Fixtures.schoolSystem(Fixtures.SCHOOL)).contentType(ContentType.JSON)
                .body(batch(row(a, "2011-09-03")))
                .when().put("/pupils")
                .then().statusCode(200).body("updated", equalTo(1));
    }

    @Test
    void aMalformedRowRejectsTheWholeBatchNamingTheRow() {
        String good = id();
        given().auth().oauth2(Fixtures.schoolSystem(Fixtures.SCHOOL)).contentType(ContentType.JSON)
                .body(batch(row(good, "2011-09-02"), row(id(), "2999-01-01")))
                .when().put("/pupils")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:need-to-know:problem:validation"))
                .body("errors.field", hasItem("pupils[1].birthDate"));
        // Nothing of the batch was stored: the good row is new when sent again.
        given().auth().oauth2(Fixtures.schoolSystem(Fixtures.SCHOOL)).contentType(ContentType.JSON)
                .body(batch(row(good, "2011-09-02")))
                .when().put("/pupils")
                .then().statusCode(200).body("created", equalTo(1));
    }

    private static String withContacts(String id, String parentEmail, String pupilEmail) {
        return """
                {"pupilId": "%s", "givenName": "Yusuf", "familyName": "Demir", "birthDate": "2011-09-02", "classGroup": "2A",
                 "parents": [{"name": "Aylin Demir", "email": "%s", "phone": "+32 470 12 34 56"}], "pupilEmail": "%s"}"""
                .formatted(id, parentEmail, pupilEmail);
    }

    /** The family's contacts of a pupil as stored: addressee and address, in order. */
    private List<String> contacts(String pupilId) {
        return QuarkusTransaction.requiringNew().call(() -> FamilyContact.of(Fixtures.SCHOOL, pupilId).stream()
                .map(c -> c.addressee + ":" + c.email).toList());
    }

    @Test
    void x_t4_theFamilysContactsAreImportedValidatedAndReplacedByTheNextImport() {
        String a = id();
        given().auth().oauth2(Fixtures.schoolSystem(Fixtures.SCHOOL)).contentType(ContentType.JSON)
                .body(batch(withContacts(a, "aylin@example.org", "yusuf@leerling.example.org")))
                .when().put("/pupils").then().statusCode(200).body("created", equalTo(1));
        assertEquals(List.of("PARENTS:aylin@example.org", "PUPIL:yusuf@leerling.example.org"), contacts(a));
        // The same contacts again: unchanged. Another address: an update that replaces them.
        given().auth().oauth2(Fixtures.schoolSystem(Fixtures.SCHOOL)).contentType(ContentType.JSON)
                .body(batch(withContacts(a, "aylin@example.org", "yusuf@leerling.example.org")))
                .when().put("/pupils").then().statusCode(200).body("unchanged", equalTo(1));
        given().auth().oauth2(Fixtures.schoolSystem(Fixtures.SCHOOL)).contentType(ContentType.JSON)
                .body(batch(withContacts(a, "aylin.demir@example.org", "yusuf@leerling.example.org")))
                .when().put("/pupils").then().statusCode(200).body("updated", equalTo(1));
        assertEquals(List.of("PARENTS:aylin.demir@example.org", "PUPIL:yusuf@leerling.example.org"), contacts(a));
        // A bad address is a problem naming the field, and nothing of the batch is stored.
        for (String bad : List.of("aylin", "aylin@", "Aylin <aylin@example.org>", "a b@example.org")) {
            given().auth().oauth2(Fixtures.schoolSystem(Fixtures.SCHOOL)).contentType(ContentType.JSON)
                    .body(batch(withContacts(a, bad, "yusuf@leerling.example.org")))
                    .when().put("/pupils")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("errors.field", hasItem("pupils[0].parents[0].email"));
        }
        given().auth().oauth2(Fixtures.schoolSystem(Fixtures.SCHOOL)).contentType(ContentType.JSON)
                .body(batch(withContacts(a, "aylin.demir@example.org", "not-an-address")))
                .when().put("/pupils")
                .then().statusCode(400).body("errors.field", hasItem("pupils[0].pupilEmail"));
        assertEquals(List.of("PARENTS:aylin.demir@example.org", "PUPIL:yusuf@leerling.example.org"), contacts(a));
    }

    @Test
    void aDuplicatePupilIdInOneBatchIsRefused() {
        String same = id();
        given().auth().oauth2(Fixtures.schoolSystem(Fixtures.SCHOOL)).contentType(ContentType.JSON)
                .body(batch(row(same, "2011-09-02"), row(same, "2011-09-02")))
                .when().put("/pupils")
                .then().statusCode(400).body("errors.field", hasItem("pupils[1].pupilId"));
    }

    @Test
    void unknownFieldsAndMalformedJsonAreProblems() {
        given().auth().oauth2(Fixtures.schoolSystem(Fixtures.SCHOOL)).contentType(ContentType.JSON)
                .body("{\"pupils\": [], \"school\": \"x\"}")
                .when().put("/pupils")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:need-to-know:problem:unknown-field"));
        given().auth().oauth2(Fixtures.schoolSystem(Fixtures.SCHOOL)).contentType(ContentType.JSON)
                .body("{\"pupils\": [")
                .when().put("/pupils")
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(Fixtures.schoolSystem(Fixtures.SCHOOL)).contentType(ContentType.JSON)
                .body(batch())
                .when().put("/pupils")
                .then().statusCode(400).body("errors.field", hasItem("pupils"));
    }

    @Test
    void onlyTheSchoolPlatformImportsPupils() {
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                .body(batch(row(id(), "2011-09-02")))
                .when().put("/pupils")
                .then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("urn:need-to-know:problem:not-school-system"));
    }

    @Test
    void withoutATokenTheAnswerIs401() {
        given().contentType(ContentType.JSON).body(batch(row(id(), "2011-09-02")))
                .when().put("/pupils")
                .then().statusCode(401);
    }

    @Inject
    EntityManager em;

    @Inject
    PupilPseudonyms pseudonyms;

    /** A school of its own: a complete import marks every other pupil of its school as left. */
    private static String school() {
        return "school-a5-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String system(String school) {
        return TestTokens.of("service-account-" + school + "-system", school, "school", "school-system");
    }

    private static String complete(String... rows) {
        return "{\"complete\": true, \"pupils\": [" + String.join(",", rows) + "]}";
    }

    private boolean left(String school, String pupil) {
        return QuarkusTransaction.requiringNew().call(() -> (Boolean) em
                .createNativeQuery("select left_at is not null from pupil where organisation_id = ?1 and pupil_id = ?2")
                .setParameter(1, school).setParameter(2, pupil).getSingleResult());
    }

    /** The audit records of this import action on this pupil (by pseudonym), as stored in the outbox. */
    private long audited(String action, String school, String pupil) {
        String pseudonym = pseudonyms.of(school, pupil);
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em
                .createNativeQuery("select count(*) from outbox_event where topic = 'ntk.audit.v1' and event_key = ?1 "
                        + "and payload like ?2 and payload not like ?3")
                .setParameter(1, pseudonym).setParameter(2, "%\"action\":\"" + action + "\"%")
                .setParameter(3, "%" + pupil + "%").getSingleResult()).longValue());
    }

    @Test
    void a5_aCompleteImportMarksWhoIsMissingAsLeftAPartialOneDoesNotAndAPupilWhoComesBackIsNoLongerLeft() {
        String school = school();
        String a = id();
        String b = id();
        String c = id();
        given().auth().oauth2(system(school)).contentType(ContentType.JSON)
                .body(batch(row(a, "2011-09-02"), row(b, "2011-09-02"), row(c, "2011-09-02")))
                .when().put("/pupils").then().statusCode(200).body("created", equalTo(3));
        // A partial batch says nothing about the pupils it does not name.
        given().auth().oauth2(system(school)).contentType(ContentType.JSON).body(batch(row(a, "2011-09-02")))
                .when().put("/pupils").then().statusCode(200);
        assertEquals(false, left(school, b));
        assertEquals(false, left(school, c));

        given().auth().oauth2(system(school)).contentType(ContentType.JSON)
                .body(complete(row(a, "2011-09-02"), row(b, "2011-09-02")))
                .when().put("/pupils").then().statusCode(200).body("unchanged", equalTo(2));
        assertEquals(true, left(school, c));
        assertEquals(false, left(school, a));
        assertEquals(1, audited("pupil.leave", school, c), "the leaver is audited by pseudonym, never by id");
        // The same complete batch again: nothing changes, no second record.
        given().auth().oauth2(system(school)).contentType(ContentType.JSON)
                .body(complete(row(a, "2011-09-02"), row(b, "2011-09-02")))
                .when().put("/pupils").then().statusCode(200);
        assertEquals(1, audited("pupil.leave", school, c));

        // Back at the school: no longer left, and audited.
        given().auth().oauth2(system(school)).contentType(ContentType.JSON).body(batch(row(c, "2011-09-02")))
                .when().put("/pupils").then().statusCode(200).body("updated", equalTo(1));
        assertEquals(false, left(school, c));
        assertEquals(1, audited("pupil.return", school, c));
        // Another school's complete import never touches this school's pupils.
        given().auth().oauth2(system(school())).contentType(ContentType.JSON).body(complete(row(id(), "2011-09-02")))
                .when().put("/pupils").then().statusCode(200);
        assertEquals(false, left(school, a));
    }

    @Test
    void a5_concurrentCompleteImportsMarkAndAuditEachLeaverOnce() throws Exception {
        String school = school();
        String stays = id();
        List<String> leavers = new ArrayList<>();
        List<String> rows = new ArrayList<>(List.of(row(stays, "2011-09-02")));
        for (int i = 0; i < 5; i++) {
            leavers.add(id());
            rows.add(row(leavers.get(i), "2011-09-02"));
        }
        given().auth().oauth2(system(school)).contentType(ContentType.JSON).body(batch(rows.toArray(String[]::new)))
                .when().put("/pupils").then().statusCode(200).body("created", equalTo(6));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                statuses.add(pool.submit(() -> given().auth().oauth2(system(school)).contentType(ContentType.JSON)
                        .body(complete(row(stays, "2011-09-02"))).when().put("/pupils").then().extract().statusCode()));
            }
            for (Future<Integer> status : statuses) {
                assertEquals(200, status.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(false, left(school, stays));
        for (String leaver : leavers) {
            assertEquals(true, left(school, leaver));
            assertEquals(1, audited("pupil.leave", school, leaver));
        }
    }

    @Test
    void a5_onlyTheSchoolPlatformDeclaresItsCompleteListAndABadBatchMarksNobody() {
        String school = school();
        String a = id();
        given().auth().oauth2(system(school)).contentType(ContentType.JSON).body(batch(row(a, "2011-09-02")))
                .when().put("/pupils").then().statusCode(200);
        given().auth().oauth2(TestTokens.of("bart.counsellor", school, "school", "pupil-counsellor"))
                .contentType(ContentType.JSON).body(complete(row(id(), "2011-09-02")))
                .when().put("/pupils").then().statusCode(403);
        given().auth().oauth2(system(school)).contentType(ContentType.JSON)
                .body(complete(row(id(), "2011-09-02"), row(id(), "2999-01-01")))
                .when().put("/pupils").then().statusCode(400);
        given().auth().oauth2(system(school)).contentType(ContentType.JSON)
                .body("{\"complete\": \"yes\", \"pupils\": [" + row(id(), "2011-09-02") + "]}")
                .when().put("/pupils").then().statusCode(400);
        assertEquals(false, left(school, a));
    }
}
