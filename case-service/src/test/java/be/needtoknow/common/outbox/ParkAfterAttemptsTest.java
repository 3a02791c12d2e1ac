package be.needtoknow.common.outbox;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import be.needtoknow.cases.Fixtures;
import be.needtoknow.common.audit.AuditTrail;
import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.TestTopics;
import be.needtoknow.testing.TestTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.arc.ClientProxy;

/**
 * Parked outbox events: a failure that may heal (a topic this service may write but that does not
 * exist: the broker answers with a timeout) is retried, in order; once the same event failed
 * {@code ntk.outbox.park-after} rounds while the broker took the events behind it, it is parked and
 * the rest flows (A1: no audit record held back for good). In common's package, to set the relay's
 * park-after to 2 for this test on the running service (a test profile would restart the stack);
 * the producer waits max.block.ms (3 s in the tests, 10 s otherwise) for the topic each round.
 */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ParkAfterAttemptsTest {

    @Inject
    OutboxRelay relay;

    @Inject
    Outbox outbox;

    @Inject
    AuditTrail audit;

    @Inject
    ObjectMapper json;

    @Test
    void a1_anEventThatKeepsFailingWhileOthersArePublishedIsParkedAfterTheSetAttempts() throws Exception {
        String missing = "ntk.missing-test." + UUID.randomUUID() + ".v1";
        try (Admin admin = Admin.create(TestTopics.admin())) {
            // Allowed, but never created (auto-create is off): the broker knows no such topic.
            admin.createAcls(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, missing, PatternType.LITERAL),
                    new AccessControlEntry("User:case-service", "*", AclOperation.WRITE, AclPermissionType.ALLOW))))
                    .all().get(1, TimeUnit.MINUTES);
        }
        OutboxRelay running = ClientProxy.unwrap(relay);
        int setting = running.parkAfter;
        running.parkAfter = 2;
        UUID stuck = QuarkusTransaction.requiringNew().call(() -> outbox.append(missing, "k", "be.needtoknow.test.poison.v1",
                "poison/2", Map.of("text", "nothing")));
        // Audit records keep coming behind it, from another thread.
        String run = UUID.randomUUID().toString();
        AtomicBoolean writing = new AtomicBoolean(true);
        Set<String> written = ConcurrentHashMap.newKeySet();
        Thread writer = new Thread(() -> {
            for (int i = 0; writing.get(); i++) {
                String id = run + "/" + i;
                QuarkusTransaction.requiringNew().run(() -> audit.bySystem("park-after-test", "relay-test", id, null));
                written.add(id);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        writer.start();
        String operator = TestTokens.of("olga.operator", Fixtures.SCHOOL, "school", "operator");
        JsonNode parked;
        try {
            parked = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() -> {
                for (JsonNode e : json.readTree(given().auth().oauth2(operator).when().get("/operator/parked-events")
                        .then().statusCode(200).extract().asString())) {
                    if (stuck.toString().equals(e.get("eventId").asText())) {
                        return e;
                    }
                }
                return null;
            }, e -> e != null);
        } finally {
            writing.set(false);
            writer.join(TimeUnit.MINUTES.toMillis(1));
            running.parkAfter = setting;
        }
        assertEquals(2, parked.get("attempts").asInt(), parked.toString());
        // The broker's own timeout waiting for the topic, or the relay's waiting for the acknowledgement.
        assertTrue(parked.get("reason").asText().matches("(org.apache.kafka.common.errors|java.util.concurrent)"
                + "\\.TimeoutException: .+"), parked.toString());
        // Every record written behind it was published.
        Set<String> published = ConcurrentHashMap.newKeySet();
        TestTopics.readUntil(TestTopics.admin(), "ntk.audit.v1", r -> {
            if (r.value().contains(run)) {
                try {
                    published.add(json.readTree(r.value()).path("resourceId").asText());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            return published.containsAll(written);
        }, Duration.ofSeconds(60));
        assertTrue(published.containsAll(written), "records held back behind the failing event");
        given().auth().oauth2(operator).when().delete("/operator/parked-events/" + parked.get("position").asLong())
                .then().statusCode(200);
    }
}
