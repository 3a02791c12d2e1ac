package be.needtoknow.cases.staff;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import be.needtoknow.cases.Fixtures;
import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.TestTokens;
import be.needtoknow.testing.TestTopics;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * T4, A3, A1: GET /staff, the staff directory the DPO's access report names people from: the
 * caller's own organisation only, for the DPO; refused (and audited) for everyone else, the school's
 * platform included (S4: the list names everyone who might have reported a signal); every read audited.
 */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
class StaffDirectoryTest {

    static final ObjectMapper JSON = new ObjectMapper();

    String dpo() {
        return TestTokens.of("frank.dpo", Fixtures.SCHOOL, "school", "dpo");
    }

    String otherDpo() {
        return TestTokens.of("luc.dpo", Fixtures.OTHER_SCHOOL, "school", "dpo");
    }

    void importOtherSchoolsStaff() {
        given().auth().oauth2(Fixtures.schoolSystem(Fixtures.OTHER_SCHOOL)).contentType(ContentType.JSON)
                .body("""
                        {"staff": [{"username": "hans.counsellor", "name": "Hans Wouters", "functions": ["pupil-counsellor"], "classGroups": []}]}""")
                .when().put("/staff").then().statusCode(200);
    }

    /** The audit record with this correlation id, from ntk.audit.v1. */
    static JsonNode audited(String correlationId) throws Exception {
        List<TestTopics.Received> read = TestTopics.readUntil(TestTopics.admin(), "ntk.audit.v1",
                r -> r.value() != null && r.value().contains(correlationId), Duration.ofSeconds(30));
        String value = read.stream().filter(r -> r.value() != null && r.value().contains(correlationId)).findFirst()
                .orElseThrow().value();
        JsonNode event = JSON.readTree(value);
        return event.has("data") ? event.get("data") : event;
    }

    @Test
    void t4_a3_theDpoReadsNamesAndFunctionsOfTheirOwnSchoolsStaffOnlyAndTheReadIsAudited() throws Exception {
        Fixtures.importStaff();
        importOtherSchoolsStaff();
        String correlation = "staff-" + UUID.randomUUID();
        given().auth().oauth2(dpo()).header("X-Correlation-Id", correlation).when().get("/staff")
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("find { it.username == 'bart.counsellor' }.name", equalTo("Bart Claes"))
                .body("find { it.username == 'bart.counsellor' }.functions", equalTo(List.of("pupil-counsellor")))
                .body("find { it.username == 'eva.discipline' }.functions", equalTo(List.of("discipline", "teacher")))
                // Only the caller's own school: not the other school's counsellor; no class groups.
                .body("username", not(hasItem("hans.counsellor")))
                .body("classGroups", everyItem(equalTo(null)));
        JsonNode record = audited(correlation);
        assertEquals("staff.list", record.get("action").asText());
        assertEquals("GRANTED", record.get("outcome").asText());
        assertEquals("frank.dpo", record.get("actor").get("username").asText());
        assertFalse(record.has("pupilPseudonym"), "a read of the staff list is about no pupil");
        // The other school's DPO reads their own school's staff, never Sint-Jan's.
        given().auth().oauth2(otherDpo()).when().get("/staff")
                .then().statusCode(200)
                .body("username", hasItem("hans.counsellor"))
                .body("username", not(hasItem("bart.counsellor")));
    }

    @Test
    void a1_everyoneElseIsRefusedWithAProblemAndTheRefusalIsAudited() throws Exception {
        for (String token : List.of(Fixtures.schoolSystem(Fixtures.SCHOOL), Fixtures.teacher(), Fixtures.principal(), Fixtures.coordinator(),
                TestTokens.of("mia.clb", "clb-gent", "clb", "clb-worker"))) {
            String correlation = "staff-" + UUID.randomUUID();
            given().auth().oauth2(token).header("X-Correlation-Id", correlation).when().get("/staff")
                    .then().statusCode(403).contentType("application/problem+json")
                    .body("type", equalTo("urn:need-to-know:problem:not-dpo"))
                    .body("detail", not(startsWith("Bart")));
            JsonNode record = audited(correlation);
            assertEquals("staff.list", record.get("action").asText());
            assertEquals("REFUSED", record.get("outcome").asText());
        }
        given().when().get("/staff").then().statusCode(401).contentType("application/problem+json");
    }
}
