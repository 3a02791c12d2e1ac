package be.needtoknow.cases.retention;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import be.needtoknow.cases.Fixtures;
import be.needtoknow.stack.testing.TestStack;
import be.needtoknow.stack.testing.TestTopics;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** A5: closed case files are purged after the retention period, with their notes; the purge is audited. */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
class RetentionPurgeTest {

    @Inject
    RetentionPurge purge;

    @Inject
    EntityManager em;

    private long rows(String table, String file) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em
                .createNativeQuery("select count(*) from " + table + " where " + (table.equals("case_file") ? "id" : "case_file_id")
                        + " = cast(?1 as uuid)").setParameter(1, file).getSingleResult()).longValue());
    }

    @Test
    void a5_aFileClosedLongerThanTheRetentionPeriodIsPurgedWithItsNotesAndThePurgeIsAudited() {
        String open = Fixtures.openCaseFile(Fixtures.newPupil(Fixtures.SCHOOL));
        String closed = Fixtures.openCaseFile(Fixtures.newPupil(Fixtures.SCHOOL));
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                .body("{\"kind\": \"OBSERVATION\", \"visibility\": \"CARE_TEAM\", \"text\": \"to be purged\"}")
                .when().post("/case-files/" + closed + "/notes").then().statusCode(201);
        given().auth().oauth2(Fixtures.counsellor()).when().post("/case-files/" + closed + "/close").then().statusCode(200);

        // Not yet past the period: nothing goes.
        purge.purgeClosedBefore(OffsetDateTime.now(ZoneOffset.UTC).minusDays(1));
        assertEquals(1, rows("case_file", closed));

        assertTrue(purge.purgeClosedBefore(OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(1)) >= 1);
        assertEquals(0, rows("case_file", closed));
        assertEquals(0, rows("note", closed));
        assertEquals(1, rows("case_file", open), "an open case file is never purged");
        given().auth().oauth2(Fixtures.counsellor()).when().get("/case-files/" + closed).then().statusCode(404);

        List<TestTopics.Received> records = TestTopics.readUntil(TestTopics.admin(), "ntk.audit.v1",
                r -> r.value().contains(closed) && r.value().contains("case-file.purge"), Duration.ofSeconds(30));
        String purgeRecord = records.get(records.size() - 1).value();
        assertTrue(purgeRecord.contains("\"legalBasis\":\"legal-obligation\""), purgeRecord);
        assertTrue(purgeRecord.contains("\"username\":\"retention-job\""), purgeRecord);
    }
}
