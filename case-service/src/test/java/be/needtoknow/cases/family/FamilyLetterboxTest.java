package be.needtoknow.cases.family;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.TestTokens;
import be.needtoknow.testing.TestTopics;
import be.needtoknow.testing.Together;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * X, T4: a school whose platform carries its messages to parents gets the family's letters in a
 * letterbox (ntk.family.channels.school-letterbox=LETTERBOX in the test profile): the platform's
 * service account collects each letter once, also when collections run at once, and delivers it.
 */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
class FamilyLetterboxTest {

    static final String SCHOOL = "school-letterbox";

    private static String platform() {
        return TestTokens.of("service-account-" + SCHOOL + "-system", SCHOOL, "school", "school-system");
    }

    private static String dpo() {
        return TestTokens.of("fien.dpo", SCHOOL, "school", "dpo");
    }

    /** Pupils of the letterbox school with two parents each, in one import; their ids. */
    private static List<String> pupils(int count) {
        List<String> ids = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = "p-" + UUID.randomUUID().toString().substring(0, 8);
            ids.add(id);
            rows.add("""
                    {"pupilId": "%s", "givenName": "Nora", "familyName": "Smet", "birthDate": "2012-04-01",
                      "classGroup": "2B", "parents": [{"name": "Ann Smet", "email": "ann.%s@example.org"},
                                                      {"name": "Wim Smet", "email": "wim.%s@example.org"}]}"""
                    .formatted(id, id, id));
        }
        given().auth().oauth2(platform()).contentType(ContentType.JSON)
                .body("{\"pupils\": [" + String.join(",", rows) + "]}").when().put("/pupils").then().statusCode(200);
        return ids;
    }

    private static String register(String pupil) {
        return given().auth().oauth2(dpo()).contentType(ContentType.JSON)
                .body("{\"requestedBy\": \"PARENTS\", \"requestedAt\": \"2026-11-20T09:30:00Z\", \"identityCheck\": \"eID\"}")
                .when().post("/pupils/" + pupil + "/access-requests")
                .then().statusCode(201).body("path", nullValue()).body("sent.channel", equalTo("LETTERBOX"))
                .body("sent.summary", containsString("left for the parents (2 addresses) in the school platform's letterbox"))
                .extract().path("id");
    }

    /** One collection: each letter as "letter id/message id". */
    private static List<String> collect(String token) {
        var letters = given().auth().oauth2(token).when().post("/family-letterbox/collect").then().statusCode(200)
                .extract().jsonPath();
        List<String> ids = letters.getList("id");
        List<String> messages = letters.getList("messageId");
        List<String> both = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            both.add(ids.get(i) + "/" + messages.get(i));
        }
        return both;
    }

    @Test
    void x_t4_theLetterboxHandsEachLetterToThePlatformOnceUnder16ParallelCollections() throws Exception {
        collect(platform()); // empty whatever an earlier test left
        List<String> pupils = pupils(12);
        pupils.forEach(FamilyLetterboxTest::register);
        // No mail left for the letterbox school: the platform delivers.
        assertTrue(TestStack.mailbox("ann." + pupils.get(0) + "@example.org").isEmpty());
        // Staff cannot collect the family's letters, nor can another school's platform take this school's.
        given().auth().oauth2(dpo()).when().post("/family-letterbox/collect").then().statusCode(403);
        String otherPlatform = TestTokens.of("service-account-school-sint-jan-system", "school-sint-jan", "school",
                "school-system");
        given().auth().oauth2(otherPlatform).when().post("/family-letterbox/collect").then().statusCode(200)
                .body("pupilId.findAll { it.startsWith('" + pupils.get(0) + "') }.size()", equalTo(0));

        List<List<String>> collected = Together.attempts(16, n -> collect(platform()));
        List<String> all = collected.stream().flatMap(List::stream).toList();
        Set<String> distinct = new HashSet<>(all);
        assertEquals(all.size(), distinct.size(), "a letter was handed over twice");
        assertEquals(24, all.size(), "every letter (12 requests, 2 parents each) is handed over");
        Set<String> messages = new HashSet<>(all.stream().map(l -> l.substring(l.indexOf('/') + 1)).toList());
        assertEquals(12, messages.size());
        long left = QuarkusTransaction.requiringNew()
                .call(() -> FamilyLetter.count("organisationId", SCHOOL));
        assertEquals(0, left, "letters are left in the letterbox after collection");
        // Each handed-over letter is audited once, by the platform.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> TestTopics
                .readToEnd(TestTopics.admin(), "ntk.audit.v1").stream()
                .filter(r -> r.value().contains("\"family-message.collect\"")
                        && messages.stream().anyMatch(m -> r.value().contains(m)))
                .count() == 24);
    }

    @Test
    void x_aLetterCarriesTheLinkToItsRegisteredAddressAndItOpensThePackage() {
        collect(platform());
        String pupil = pupils(1).get(0);
        register(pupil);
        var letters = given().auth().oauth2(platform()).when().post("/family-letterbox/collect").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of("ann." + pupil + "@example.org", "wim." + pupil + "@example.org"),
                letters.getList("to").stream().sorted().toList());
        String text = letters.getString("[0].text");
        String path = text.substring(text.indexOf("/access-packages/"), text.indexOf('\n', text.indexOf("/access-packages/")));
        given().accept(ContentType.JSON).when().get(path).then().statusCode(200).body("pupil.pupilId", equalTo(pupil));
        // Collected once: the next collection has nothing.
        given().auth().oauth2(platform()).when().post("/family-letterbox/collect").then().statusCode(200)
                .body("size()", equalTo(0));
    }
}
