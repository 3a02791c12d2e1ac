package be.needtoknow.audit.ingest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import be.needtoknow.audit.AuditEvents;
import be.needtoknow.common.audit.PupilPseudonyms;
import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.TestTokens;
import be.needtoknow.testing.TestTopics;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
class AuditIngestTest {

    static final String SCHOOL = "school-sint-jan";

    @Inject
    PupilPseudonyms pseudonyms;

    @Inject
    EntityManager em;

    static String dpo(String organisation) {
        return TestTokens.of("frank.dpo", organisation, "school", "dpo");
    }

    /** The event ids of the pupil's records from case-service (the DPO's own searches are in the trail too). */
    private List<Object> byPupil(String pupilId) {
        return given().auth().oauth2(dpo(SCHOOL)).queryParam("pupilId", pupilId)
                .when().get("/audit-records")
                .then().statusCode(200).extract().path("findAll { it.record.service == 'case-service' }.eventId");
    }

    @Test
    void aRecordOnTheTopicIsStoredOnceEvenWhenDeliveredTwice() {
        String pupil = "p-" + UUID.randomUUID();
        String id = UUID.randomUUID().toString();
        String record = AuditEvents.record(SCHOOL, pseudonyms.of(SCHOOL, pupil), "bart.counsellor", "case-file.open");
        AuditEvents.publish(id, "k", record);
        AuditEvents.publish(id, "k", record);
        String marker = UUID.randomUUID().toString();
        // A later record of the same pupil shows that both deliveries of the first were processed.
        AuditEvents.publish(marker, "k", AuditEvents.record(SCHOOL, pseudonyms.of(SCHOOL, pupil), "bart.counsellor",
                "case-file.read"));
        await().atMost(Duration.ofSeconds(30)).until(() -> byPupil(pupil).contains(marker));
        assertEquals(List.of(id, marker), byPupil(pupil));
    }

    @Test
    void aPoisonRecordGoesToTheDeadLetterTopicAndIngestGoesOn() {
        String poison = UUID.randomUUID().toString();
        TestTopics.send(TestTopics.as("case-service"), "ntk.audit.v1", "k", "{not json",
                AuditEvents.cloudEventHeaders(poison));
        String withPupilId = UUID.randomUUID().toString();
        // A record that names the pupil by its id instead of the pseudonym is refused too (N2).
        AuditEvents.publish(withPupilId, "k", AuditEvents.record(SCHOOL, "sj-1001", "bart.counsellor", "case-file.open"));
        String pupil = "p-" + UUID.randomUUID();
        String good = UUID.randomUUID().toString();
        AuditEvents.publish(good, "k", AuditEvents.record(SCHOOL, pseudonyms.of(SCHOOL, pupil), "bart.counsellor",
                "case-file.open"));
        await().atMost(Duration.ofSeconds(30)).until(() -> byPupil(pupil).contains(good));
        List<TestTopics.Received> dead = TestTopics.readUntil(TestTopics.admin(), "ntk.audit.v1.dlq",
                r -> withPupilId.equals(r.headers().get("ce_id")), Duration.ofSeconds(30));
        assertTrue(dead.stream().anyMatch(r -> poison.equals(r.headers().get("ce_id"))), "the poison record is not in the DLQ");
        assertTrue(dead.stream().anyMatch(r -> withPupilId.equals(r.headers().get("ce_id"))), "the identifying record is not in the DLQ");
        // Each with the reason, for whoever looks into the dead letters.
        assertTrue(dead.stream().anyMatch(r -> poison.equals(r.headers().get("ce_id"))
                && "the data is not JSON".equals(r.headers().get("dead-letter-reason"))), "no reason for the poison record");
        assertTrue(dead.stream().anyMatch(r -> withPupilId.equals(r.headers().get("ce_id"))
                && "pupilPseudonym is not a pseudonym".equals(r.headers().get("dead-letter-reason"))), "no reason");
        assertEquals(0L, QuarkusTransaction.requiringNew().call(() -> em
                .createNativeQuery("select count(*) from audit_record where event_id in (cast(?1 as uuid), cast(?2 as uuid))")
                .setParameter(1, poison).setParameter(2, withPupilId).getSingleResult()) instanceof Number n ? n.longValue() : -1);
    }

    @Test
    void a2_theLogRefusesUpdateDeleteAndTruncate() throws java.sql.SQLException {
        String pupil = "p-" + UUID.randomUUID();
        String id = UUID.randomUUID().toString();
        AuditEvents.publish(id, "k", AuditEvents.record(SCHOOL, pseudonyms.of(SCHOOL, pupil), "bart.counsellor", "case-file.open"));
        await().atMost(Duration.ofSeconds(30)).until(() -> byPupil(pupil).contains(id));
        List<String> statements = List.of(
                "update audit_record set action = 'nothing' where event_id = cast('" + id + "' as uuid)",
                "delete from audit_record where event_id = cast('" + id + "' as uuid)",
                "truncate audit_record",
                "update merkle_node set hash = hash",
                "truncate checkpoint");
        // The service's own runtime role: no such grant.
        for (String statement : statements) {
            Exception refused = assertThrows(Exception.class,
                    () -> QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(statement).executeUpdate()),
                    statement);
            assertTrue(rootMessage(refused).contains("permission denied"), rootMessage(refused));
        }
        // The owner the migrations run as: the triggers refuse it.
        var config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        try (java.sql.Connection owner = java.sql.DriverManager.getConnection(
                config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.flyway.username", String.class),
                config.getValue("quarkus.flyway.password", String.class))) {
            for (String statement : statements) {
                Exception refused = assertThrows(java.sql.SQLException.class,
                        () -> owner.createStatement().execute(statement), statement);
                assertTrue(refused.getMessage().contains("append-only"), refused.getMessage());
            }
        }
        given().auth().oauth2(dpo(SCHOOL)).queryParam("pupilId", pupil)
                .when().get("/audit-records")
                .then().statusCode(200)
                .body("findAll { it.record.service == 'case-service' }", hasSize(1))
                .body("find { it.eventId == '%s' }.record.action".formatted(id), equalTo("case-file.open"));
    }

    @Test
    void a1_aRefusedAuthenticationOnTheTrailItselfIsInTheTrail() {
        // audit-service audits its own refusals through the same outbox and topic as every service.
        String correlation = "anonymous-" + UUID.randomUUID();
        given().header("X-Correlation-Id", correlation).auth().oauth2("not-a-token")
                .when().get("/audit-records")
                .then().statusCode(401).contentType("application/problem+json");
        await().atMost(Duration.ofSeconds(30)).until(() -> !stored(correlation).isEmpty());
        List<Object> row = java.util.Arrays.asList(stored(correlation).get(0));
        assertEquals(List.of("unknown", "anonymous", "none", "authenticate", "REFUSED"), row.subList(0, 5));
        assertTrue(String.valueOf(row.get(5)).contains("\"resourceId\":\"GET /audit-records\""), String.valueOf(row.get(5)));
        assertTrue(String.valueOf(row.get(5)).contains("\"reason\":\"not authenticated: malformed token\""),
                String.valueOf(row.get(5)));
    }

    /** The stored records (organisation, actor, role, action, outcome, record) of a correlation id. */
    @SuppressWarnings("unchecked")
    private List<Object[]> stored(String correlation) {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("select organisation_id, actor_username, "
                + "actor_role, action, outcome, record from audit_record where cast(record as jsonb) ->> 'correlationId' = ?1")
                .setParameter(1, correlation).getResultList());
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }

}
