package be.needtoknow.cases.audit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import be.needtoknow.cases.Fixtures;
import be.needtoknow.common.audit.PupilPseudonyms;
import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.TestTopics;
import be.needtoknow.testing.TestTopics.Received;
import be.needtoknow.testing.TestTokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** A1 through the real broker: the audit records of a flow arrive on ntk.audit.v1 as CloudEvents. */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
class AuditToKafkaTest {

    private static final String REASON = "Confided worries about home, details in the conversation";

    @Inject
    PupilPseudonyms pseudonyms;

    @Inject
    ObjectMapper json;

    @Test
    void a1_openingACaseFileEmitsAnAuditRecordWithAPseudonymAndNoContent() throws Exception {
        String pupil = Fixtures.newPupil(Fixtures.SCHOOL);
        String id = given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                .header("X-Correlation-Id", "walkthrough-42")
                .body("{\"pupilId\": \"%s\", \"reason\": \"%s\"}".formatted(pupil, REASON))
                .when().post("/case-files")
                .then().statusCode(201).extract().path("id");

        List<Received> read = TestTopics.readUntil(TestTopics.admin(), "ntk.audit.v1",
                r -> r.value().contains(id) && r.value().contains("case-file.open"), Duration.ofSeconds(30));
        Received event = read.get(read.size() - 1);
        JsonNode record = json.readTree(event.value());
        assertEquals("case-file.open", record.get("action").asText());
        assertEquals("GRANTED", record.get("outcome").asText());
        assertEquals("bart.counsellor", record.at("/actor/username").asText());
        assertEquals("pupil-counsellor", record.at("/actor/role").asText());
        assertEquals("school-sint-jan", record.get("organisationId").asText());
        assertEquals("legal-task", record.get("legalBasis").asText());
        assertEquals("walkthrough-42", record.get("correlationId").asText());
        String pseudonym = pseudonyms.of(Fixtures.SCHOOL, pupil);
        assertEquals(pseudonym, record.get("pupilPseudonym").asText());
        // Keyed by the pseudonym (per-pupil order); CloudEvents 1.0 in binary mode.
        assertEquals(pseudonym, event.key());
        assertEquals("1.0", event.headers().get("ce_specversion"));
        assertEquals("be.needtoknow.audit.record.v1", event.headers().get("ce_type"));
        assertEquals("/case-service", event.headers().get("ce_source"));
        assertTrue(event.headers().get("ce_id").matches("[0-9a-f-]{36}"));
        // N2: no direct identifier and no content on the topic.
        for (Received r : read) {
            assertFalse(r.value().contains(pupil), "a pupil id travelled on the audit topic");
            assertFalse(r.headers().values().stream().anyMatch(h -> h != null && h.contains(pupil)),
                    "a pupil id travelled in a header of the audit topic");
            assertFalse(r.value().contains(REASON), "case content travelled on the audit topic");
            assertFalse(r.value().contains("Vermeulen"), "a pupil's name travelled on the audit topic");
        }
    }

    @Test
    void a1_aRefusedAttemptIsAuditedToo() throws Exception {
        String pupil = Fixtures.newPupil(Fixtures.SCHOOL);
        given().auth().oauth2(Fixtures.teacher()).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"%s\", \"reason\": \"x\"}".formatted(pupil))
                .when().post("/case-files")
                .then().statusCode(403);
        String pseudonym = pseudonyms.of(Fixtures.SCHOOL, pupil);
        List<Received> read = TestTopics.readUntil(TestTopics.admin(), "ntk.audit.v1",
                r -> r.value().contains(pseudonym) && r.value().contains("REFUSED"), Duration.ofSeconds(30));
        JsonNode record = json.readTree(read.get(read.size() - 1).value());
        assertEquals("REFUSED", record.get("outcome").asText());
        assertEquals("case-file.open", record.get("action").asText());
        assertEquals("an.teacher", record.at("/actor/username").asText());
    }

    @Test
    void a1_aReadIsAudited() throws Exception {
        String pupil = Fixtures.newPupil(Fixtures.SCHOOL);
        String id = Fixtures.openCaseFile(pupil);
        given().auth().oauth2(Fixtures.principal()).when().get("/case-files/" + id).then().statusCode(200);
        List<Received> read = TestTopics.readUntil(TestTopics.admin(), "ntk.audit.v1",
                r -> r.value().contains(id) && r.value().contains("case-file.read"), Duration.ofSeconds(30));
        JsonNode record = json.readTree(read.get(read.size() - 1).value());
        assertEquals("dirk.principal", record.at("/actor/username").asText());
        assertEquals("GRANTED", record.get("outcome").asText());
    }

    @Test
    void a1_n2_aNoteIsAuditedButItsTextNeverTravels() throws Exception {
        String pupil = Fixtures.newPupil(Fixtures.SCHOOL);
        String file = Fixtures.openCaseFile(pupil);
        String text = "She says her father drinks; asked us not to tell anyone " + java.util.UUID.randomUUID();
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                .body("{\"givenAt\": \"2026-01-15T10:00:00Z\", \"how\": \"SPOKEN\"}")
                .when().post("/case-files/" + file + "/confidentiality-notices").then().statusCode(201);
        String note = given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                .body("{\"kind\": \"CONVERSATION\", \"visibility\": \"PRIVATE\", \"text\": \"%s\"}".formatted(text))
                .when().post("/case-files/" + file + "/notes").then().statusCode(201).extract().path("id");
        given().auth().oauth2(Fixtures.counsellor()).when().get("/case-files/" + file + "/notes").then().statusCode(200);
        List<Received> read = TestTopics.readUntil(TestTopics.admin(), "ntk.audit.v1",
                r -> r.value().contains(note) && r.value().contains("note.read"), Duration.ofSeconds(30));
        JsonNode written = read.stream().map(r -> {
            try {
                return json.readTree(r.value());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).filter(r -> note.equals(r.path("resourceId").asText()) && "note.write".equals(r.path("action").asText()))
                .findFirst().orElseThrow();
        assertEquals("note", written.get("resourceType").asText());
        assertEquals(pseudonyms.of(Fixtures.SCHOOL, pupil), written.get("pupilPseudonym").asText());
        for (Received r : read) {
            assertFalse(r.value().contains("drinks"), "note content travelled on the audit topic");
        }
    }

    /** Schema changes are the owner's (the migrations' role), not the service's. */
    static void asOwner(String statement) throws java.sql.SQLException {
        var config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        try (java.sql.Connection owner = java.sql.DriverManager.getConnection(
                config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.flyway.username", String.class),
                config.getValue("quarkus.flyway.password", String.class))) {
            owner.createStatement().execute(statement);
        }
    }

    @Test
    void a1_aReadWhoseAuditRecordCannotBeStoredIsRefused() throws java.sql.SQLException {
        String file = Fixtures.openCaseFile(Fixtures.newPupil(Fixtures.SCHOOL));
        // The outbox refuses every new row, as a full disk or a broken table would.
        asOwner("alter table outbox_event add constraint test_outbox_refuses check (event_id is null) not valid");
        try {
            String body = given().auth().oauth2(Fixtures.counsellor()).when().get("/case-files/" + file)
                    .then().statusCode(500).contentType("application/problem+json").extract().asString();
            assertFalse(body.contains("Often") || body.contains("\"reason\""), "case data was returned without its audit record");
        } finally {
            asOwner("alter table outbox_event drop constraint test_outbox_refuses");
        }
        given().auth().oauth2(Fixtures.counsellor()).when().get("/case-files/" + file).then().statusCode(200);
    }
}
