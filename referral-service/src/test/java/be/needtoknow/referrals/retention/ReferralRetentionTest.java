package be.needtoknow.referrals.retention;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import be.needtoknow.common.retention.OutboxRetention;
import be.needtoknow.referrals.casefile.CaseServiceStandIn;
import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.Together;
import be.needtoknow.testing.TestTokens;
import be.needtoknow.testing.TestTopics;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * A5: a referral or transfer that ended (closed, withdrawn, declined) is purged after its retention
 * period with its items, consent record, feedback and transfer notices; one still under way never
 * is; the outbox's sent payloads are purged after delivery, an unsent one never. Each purge is
 * audited by id and pupil pseudonym; the API no longer knows the purged referral.
 */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = CaseServiceStandIn.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ReferralRetentionTest {

    private static final String PUPIL = CaseServiceStandIn.PUPIL_OF_13;

    @Inject
    ReferralRetention retention;

    @Inject
    OutboxRetention outbox;

    @Inject
    EntityManager em;

    // Instance fields: tokens are made once the test stack runs.
    private final String counsellor = TestTokens.of("bart.counsellor", "school-sint-jan", "school", "pupil-counsellor");
    private final String clbGent = TestTokens.of("service-account-clb-gent-system", "clb-gent", "clb", "recipient-system");

    private static final String CONSENT = """
            {"consulted": [{"party": "PUPIL", "when": "2026-11-20T10:00:00Z", "how": "conversation at school", "answer": "AGREED"},
                           {"party": "PARENTS", "when": "2026-11-20T10:00:00Z", "how": "same conversation", "answer": "AGREED"}],
             "parentsNotInformed": false}""";

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    private static String marker() {
        return "marker-" + UUID.randomUUID();
    }

    private Object single(String sql, Object... parameters) {
        return QuarkusTransaction.requiringNew().call(() -> {
            var query = em.createNativeQuery(sql);
            for (int i = 0; i < parameters.length; i++) {
                query.setParameter(i + 1, parameters[i]);
            }
            return query.getSingleResult();
        });
    }

    private long count(String sql, Object... parameters) {
        return ((Number) single(sql, parameters)).longValue();
    }

    @SuppressWarnings("unchecked")
    private List<UUID> ids(String sql, String referral) {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(sql)
                .setParameter(1, UUID.fromString(referral)).getResultList());
    }

    private long referrals(String id) {
        return count("select count(*) from referral where id = cast(?1 as uuid)", id);
    }

    /** The audit records of this purge action for this thing, stored in the outbox in the purge's own transaction. */
    private long purgeRecords(String action, String resourceType, Object id) {
        return count("select count(*) from outbox_event where topic = 'ntk.audit.v1' and subject = ?1 and payload like ?2",
                resourceType + "/" + id, "%\"action\":\"" + action + "\"%");
    }

    private String items(String text) {
        return """
                {"items": [
                  {"type": "QUESTION", "purpose": "what we ask", "text": "%s"},
                  {"type": "CONTACT", "purpose": "to reach the counsellor", "name": "Bart Claes"}
                ]}""".formatted(text);
    }

    private String draft(String recipient, String itemText) {
        String id = given().auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"%s\", \"recipientId\": \"%s\"}".formatted(PUPIL, recipient))
                .when().post("/referrals").then().statusCode(201).extract().path("id");
        given().auth().oauth2(counsellor).contentType(ContentType.JSON).body(items(itemText))
                .when().put("/referrals/" + id + "/items").then().statusCode(200);
        return id;
    }

    private void post(String token, String path, String body, int status) {
        var request = given().auth().oauth2(token);
        if (body != null) {
            request = request.contentType(ContentType.JSON).body(body);
        }
        request.when().post(path).then().statusCode(status);
    }

    /** A referral to CLB Gent, sent, accepted, with feedback released, and closed by the CLB. */
    private String closedWithFeedback(String itemText, String feedbackText) {
        String id = draft("clb-gent", itemText);
        post(counsellor, "/referrals/" + id + "/consent", CONSENT, 200);
        post(counsellor, "/referrals/" + id + "/send", null, 200);
        post(clbGent, "/referrals/" + id + "/receipt", null, 200);
        post(clbGent, "/referrals/" + id + "/acceptance", null, 200);
        post(clbGent, "/referrals/" + id + "/feedback",
                "{\"text\": \"%s\", \"releasedForSchool\": true}".formatted(feedbackText), 201);
        post(clbGent, "/referrals/" + id + "/close", null, 200);
        return id;
    }

    @Test
    void a5_anEndedReferralIsPurgedOnceWithItsItemsConsentFeedbackAndNoticesOneUnderWayStays() throws Exception {
        String itemMarker = marker();
        String feedbackMarker = marker();
        String closed = closedWithFeedback(itemMarker, feedbackMarker);
        // A transfer whose parents and pupil got their notices (links), then withdrawn.
        String transfer = given().auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"%s\", \"recipientId\": \"school-de-linde\"}".formatted(PUPIL))
                .when().post("/referrals").then().statusCode(201).extract().path("id");
        given().auth().oauth2(counsellor).contentType(ContentType.JSON).body(items(itemMarker))
                .when().put("/referrals/" + transfer + "/items").then().statusCode(200);
        given().auth().oauth2(counsellor).contentType(ContentType.JSON).body(CONSENT)
                .when().post("/referrals/" + transfer + "/consent").then().statusCode(200);
        // X: the links reached the family through case-service (its stand-in), not the counsellor.
        List<String> links = CaseServiceStandIn.links(transfer);
        assertFalse(links.isEmpty());
        given().when().get(links.get(0)).then().statusCode(200);
        post(counsellor, "/referrals/" + transfer + "/withdraw", null, 200);
        // Under way: sent, not ended.
        String underWay = draft("clb-gent", itemMarker);
        post(counsellor, "/referrals/" + underWay + "/consent", CONSENT, 200);
        post(counsellor, "/referrals/" + underWay + "/send", null, 200);

        assertEquals(1, count("select count(*) from referral where id = cast(?1 as uuid) and closed_at is not null", closed),
                "the end of a referral is recorded when it is closed");
        assertEquals(1, count("select count(*) from referral where id = cast(?1 as uuid) and closed_at is not null", transfer));
        assertEquals(1, count("select count(*) from referral where id = cast(?1 as uuid) and closed_at is null", underWay));
        List<UUID> feedback = ids("select id from referral_feedback where referral_id = ?1", closed);
        List<UUID> notices = ids("select id from transfer_notice where referral_id = ?1", transfer);
        assertEquals(1, feedback.size());
        assertFalse(notices.isEmpty());

        // Not yet past the period: nothing goes.
        retention.purgeEndedBefore(now().minusDays(1));
        assertEquals(1, referrals(closed));
        assertEquals(1, referrals(transfer));

        Together.attempts(4, n -> retention.purgeEndedBefore(now().plusSeconds(1)));
        assertEquals(0, referrals(closed));
        assertEquals(0, referrals(transfer));
        assertEquals(1, referrals(underWay), "a referral under way is never purged");
        assertEquals(0, count("select count(*) from referral_feedback where text = ?1", feedbackMarker));
        assertEquals(0, count("select count(*) from transfer_notice where referral_id = cast(?1 as uuid)", transfer));
        assertEquals(1, count("select count(*) from referral where items like ?1", "%" + itemMarker + "%"),
                "only the items of the referral under way remain");

        // Audited once each, even with four runs at once.
        assertEquals(1, purgeRecords("referral.purge", "referral", closed));
        assertEquals(1, purgeRecords("referral.purge", "referral", transfer));
        assertEquals(0, purgeRecords("referral.purge", "referral", underWay));
        assertEquals(1, purgeRecords("referral-feedback.purge", "referral-feedback", feedback.get(0)));
        for (UUID notice : notices) {
            assertEquals(1, purgeRecords("transfer-notice.purge", "transfer-notice", notice));
        }
        List<TestTopics.Received> records = TestTopics.readUntil(TestTopics.admin(), "ntk.audit.v1",
                r -> r.value().contains(closed) && r.value().contains("referral.purge"), Duration.ofSeconds(30));
        String record = records.get(records.size() - 1).value();
        assertTrue(record.contains("\"legalBasis\":\"legal-obligation\""), record);
        assertTrue(record.contains("retention-job"), record);
        assertFalse(record.contains(PUPIL), "the pupil is named by pseudonym only (N2)");

        // The API no longer knows them; the parents' link is gone.
        given().auth().oauth2(counsellor).when().get("/referrals/" + closed + "/preview").then().statusCode(404);
        given().auth().oauth2(counsellor).when().get("/referrals/" + closed + "/feedback").then().statusCode(404);
        given().auth().oauth2(counsellor).when().get("/referrals").then().statusCode(200)
                .body("id", not(hasItem(closed))).body("id", not(hasItem(transfer)));
        given().when().get(links.get(0)).then().statusCode(404);
    }

    @Test
    void a5_feedbackReleasedAfterTheEndKeepsTheReferralTheFullPeriodFromThatFeedback() {
        String id = draft("clb-gent", marker());
        post(counsellor, "/referrals/" + id + "/consent", CONSENT, 200);
        post(counsellor, "/referrals/" + id + "/send", null, 200);
        post(clbGent, "/referrals/" + id + "/receipt", null, 200);
        post(clbGent, "/referrals/" + id + "/acceptance", null, 200);
        post(clbGent, "/referrals/" + id + "/close", null, 200);
        post(clbGent, "/referrals/" + id + "/feedback", "{\"text\": \"%s\", \"releasedForSchool\": true}".formatted(marker()), 201);
        Object value = single("select max(released_at) from referral_feedback where referral_id = cast(?1 as uuid)", id);
        OffsetDateTime released = value instanceof OffsetDateTime o ? o
                : value instanceof java.time.Instant i ? i.atOffset(ZoneOffset.UTC)
                : ((java.sql.Timestamp) value).toInstant().atOffset(ZoneOffset.UTC);
        // Closed before the cut-off, but its feedback is not: it stays.
        retention.purgeEndedBefore(released);
        assertEquals(1, referrals(id));
        retention.purgeEndedBefore(released.plusNanos(1000));
        assertEquals(0, referrals(id));
    }

    private long outboxRows(String subject, boolean sent) {
        return count("select count(*) from outbox_event where subject = ?1 and sent_at is " + (sent ? "not null" : "null"),
                subject);
    }

    @Test
    void a5_aSentOutboxPayloadIsPurgedAfterDeliveryAnUnsentOneNever() {
        String id = draft("clb-gent", marker());
        post(counsellor, "/referrals/" + id + "/consent", CONSENT, 200);
        String subject = "referral/" + id;
        TestTopics.stopBroker();
        try {
            post(counsellor, "/referrals/" + id + "/send", null, 200);
            assertEquals(1, count("select count(*) from outbox_event where subject = ?1 and topic = 'ntk.referrals.clb-gent.v1' "
                    + "and sent_at is null", subject));
            // However old the cut-off makes it, an unsent payload is never purged.
            outbox.purgeSentBefore(now().plusDays(1));
            assertEquals(1, count("select count(*) from outbox_event where subject = ?1 and topic = 'ntk.referrals.clb-gent.v1'",
                    subject));
        } finally {
            TestTopics.startBroker();
        }
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> outboxRows(subject, false) == 0);
        long sent = outboxRows(subject, true);
        assertTrue(sent >= 1);

        // Delivered, not yet past the period: stays.
        outbox.purgeSentBefore(now().minusDays(1));
        assertEquals(sent, outboxRows(subject, true));
        outbox.purgeSentBefore(now().plusSeconds(1));
        assertEquals(0, outboxRows(subject, true), "the delivered payloads are gone");
        // The purge is audited: one record per batch, naming the outbox positions it removed.
        assertTrue(count("select count(*) from outbox_event where subject like 'outbox-events/%' "
                + "and payload like '%\"action\":\"outbox-event.purge\"%'") >= 1);
        List<TestTopics.Received> records = TestTopics.readUntil(TestTopics.admin(), "ntk.audit.v1",
                r -> r.value().contains("outbox-event.purge"), Duration.ofSeconds(60));
        String record = records.get(records.size() - 1).value();
        assertTrue(record.contains("\"legalBasis\":\"legal-obligation\""), record);
        assertTrue(record.contains("retention-job"), record);
    }
}
