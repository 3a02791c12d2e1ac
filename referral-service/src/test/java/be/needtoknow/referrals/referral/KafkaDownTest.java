package be.needtoknow.referrals.referral;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import be.needtoknow.referrals.casefile.CaseServiceStandIn;
import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.TestTokens;
import be.needtoknow.testing.TestTopics;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Kafka down means delayed, never lost: a referral sent while the broker is stopped arrives once it is back. */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = CaseServiceStandIn.class, scope = TestResourceScope.MATCHING_RESOURCES)
class KafkaDownTest {

    @Inject
    EntityManager em;

    private long unsent(String referral) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from outbox_event where sent_at is null and subject = ?1 and topic = 'ntk.referrals.clb-gent.v1'")
                .setParameter(1, "referral/" + referral).getSingleResult()).longValue());
    }

    @Test
    void aReferralSentWhileKafkaIsDownArrivesAfterItReturnsExactlyOnceAtADeduplicatingConsumer() {
        String id = ReferralTest.draft("clb-gent");
        given().auth().oauth2(ReferralTest.COUNSELLOR).contentType(ContentType.JSON).body(ReferralTest.ITEMS)
                .when().put("/referrals/" + id + "/items").then().statusCode(200);
        ReferralTest.post(ReferralTest.COUNSELLOR, "/referrals/" + id + "/consent", ReferralTest.PUPIL_AGREES, 200);

        TestTopics.stopBroker();
        try {
            // The school's send succeeds: the event waits in the outbox, in the same transaction.
            ReferralTest.post(ReferralTest.COUNSELLOR, "/referrals/" + id + "/send", null, 200);
            assertEquals(1, unsent(id));
        } finally {
            TestTopics.startBroker();
        }
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> unsent(id) == 0);

        List<TestTopics.Received> read = TestTopics.readUntil(TestTopics.as("clb-gent"), "ntk.referrals.clb-gent.v1",
                r -> r.value().contains(id), Duration.ofSeconds(30));
        Set<String> distinct = read.stream().filter(r -> r.value().contains(id)).map(r -> r.headers().get("ce_id"))
                .collect(Collectors.toSet());
        assertEquals(1, distinct.size(), "one referral, one event id, whatever the number of deliveries");
    }
}
