package be.needtoknow.cases.outbox;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
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
import be.needtoknow.common.outbox.Outbox;
import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.TestTopics;
import be.needtoknow.testing.TestTopics.Received;
import be.needtoknow.testing.TestTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Poison events: an event the broker refuses for good is parked with its reason and no
 * longer holds back the audit records behind it (A1: they are all published); the alarm shows it
 * (gauge, readiness detail, an audit record); the operator lists (never the payload, N2), retries and
 * discards, and every refusal of that command is audited (A1).
 */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ParkedEventsTest {

    private static final String AUDIT = "ntk.audit.v1";
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Inject
    Outbox outbox;

    @Inject
    ObjectMapper json;

    private String operator() {
        return TestTokens.of("olga.operator", Fixtures.SCHOOL, "school", "operator");
    }

    /** An event of a test's own, stored as any service code stores one (appended in its own transaction). */
    private UUID poison(String topic, String payloadText) {
        return QuarkusTransaction.requiringNew().call(() -> outbox.append(topic, "poison", "be.needtoknow.test.poison.v1",
                "poison/" + UUID.randomUUID(), Map.of("text", payloadText)));
    }

    @Test
    void a1_refusedEventsAreParkedWhileEveryOtherAuditRecordIsPublished_andTheOperatorRetriesAndDiscards()
            throws Exception {
        String marker = "PARKED-MARKER-" + UUID.randomUUID();
        String pupil = Fixtures.newPupil(Fixtures.SCHOOL);
        String file = Fixtures.openCaseFile(pupil);
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                .body("{\"givenAt\": \"2026-01-15T10:00:00Z\", \"how\": \"SPOKEN\"}")
                .when().post("/case-files/" + file + "/confidentiality-notices").then().statusCode(201);
        // A topic this service may not write (no ACL, and it does not exist yet: auto-create is off).
        String forbiddenTopic = "ntk.parking-test." + UUID.randomUUID() + ".v1";

        // Writes from several threads, before, between and after the two poison events.
        Set<String> notes = ConcurrentHashMap.newKeySet();
        ExecutorService writers = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            running.add(writers.submit(() -> {
                for (int i = 0; i < 5; i++) {
                    notes.add(given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                            .body("{\"kind\": \"OBSERVATION\", \"visibility\": \"CARE_TEAM\", \"text\": \"%s\"}"
                                    .formatted(marker))
                            .when().post("/case-files/" + file + "/notes").then().statusCode(201).extract()
                            .<String>path("id"));
                }
            }));
        }
        // Larger than the producer's max.request.size (1 MB): refused by the client, for good.
        UUID tooLarge = poison(AUDIT, marker + "x".repeat(1_200_000));
        UUID forbidden = poison(forbiddenTopic, marker);
        for (Future<?> r : running) {
            r.get(5, TimeUnit.MINUTES);
        }
        writers.shutdown();
        String after = given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                .body("{\"kind\": \"OBSERVATION\", \"visibility\": \"CARE_TEAM\", \"text\": \"after\"}")
                .when().post("/case-files/" + file + "/notes").then().statusCode(201).extract().path("id");
        notes.add(after);

        // Both parked, with their reason and attempts; the listing never carries a payload.
        await().atMost(PATIENCE).until(() -> parkedIds(given().auth().oauth2(operator()).when()
                .get("/operator/parked-events").then().statusCode(200).extract().asString())
                .containsAll(Set.of(tooLarge.toString(), forbidden.toString())));
        String listing = given().auth().oauth2(operator()).when().get("/operator/parked-events")
                .then().statusCode(200).contentType(ContentType.JSON).extract().asString();
        assertFalse(listing.contains(marker), "the listing carried an event's payload");
        assertFalse(listing.contains("payload"), "the listing names a payload");
        JsonNode large = entry(listing, tooLarge);
        assertTrue(large.get("reason").asText().startsWith("org.apache.kafka.common.errors.RecordTooLargeException"),
                large.toString());
        assertEquals(AUDIT, large.get("topic").asText());
        assertEquals("be.needtoknow.test.poison.v1", large.get("type").asText());
        assertEquals(1, large.get("attempts").asInt());
        assertTrue(large.hasNonNull("parkedAt") && large.get("position").asLong() > 0, large.toString());
        JsonNode refused = entry(listing, forbidden);
        assertTrue(refused.get("reason").asText().startsWith("org.apache.kafka.common.errors.TopicAuthorizationException"),
                refused.toString());
        assertEquals(forbiddenTopic, refused.get("topic").asText());
        assertEquals(Set.of("position", "eventId", "type", "topic", "reason", "attempts", "parkedAt"), fields(refused));

        // Every other event was published: the audit record of each note written around the poison.
        Set<String> published = ConcurrentHashMap.newKeySet();
        TestTopics.readUntil(TestTopics.admin(), AUDIT, r -> {
            JsonNode record = tree(r.value());
            if ("note.write".equals(record.path("action").asText()) && notes.contains(record.path("resourceId").asText())) {
                published.add(record.path("resourceId").asText());
            }
            return published.size() == notes.size();
        }, PATIENCE);
        assertEquals(notes, published, "audit records held back behind a parked event");

        // The alarm: gauge, readiness detail (UP, with the count and the oldest position), audit record.
        long count = JsonPath.from(listing).getList("$").size();
        long oldest = JsonPath.from(listing).getLong("[0].position");
        await().atMost(PATIENCE).until(() -> gauge() == count);
        JsonPath ready = given().when().get("/q/health/ready").then().extract().jsonPath();
        assertEquals("UP", ready.getString("checks.find { it.name == 'Outbox parked events' }.status"));
        assertEquals(count, ready.getLong("checks.find { it.name == 'Outbox parked events' }.data.parked"));
        assertEquals(oldest, ready.getLong("checks.find { it.name == 'Outbox parked events' }.data.oldestPosition"));
        // The service still works: alive, and ready as far as the parked events go.
        given().when().get("/q/health/live").then().statusCode(200);
        for (UUID id : List.of(tooLarge, forbidden)) {
            JsonNode record = auditRecord(r -> "outbox.parked".equals(r.path("action").asText())
                    && id.toString().equals(r.path("resourceId").asText()));
            assertEquals("case-service", record.at("/actor/username").asText());
            assertEquals("outbox-event", record.get("resourceType").asText());
            assertFalse(record.toString().contains(marker), "the parking's audit record carried the payload");
        }

        // Retry, once the topic exists and the service may write it: published, no longer parked.
        grantWrite(forbiddenTopic);
        String retried = given().auth().oauth2(operator()).when()
                .post("/operator/parked-events/" + refused.get("position").asLong() + "/retry")
                .then().statusCode(200).extract().asString();
        assertEquals(forbidden.toString(), tree(retried).get("eventId").asText());
        assertFalse(retried.contains(marker));
        List<Received> out = TestTopics.readUntil(TestTopics.admin(), forbiddenTopic,
                r -> forbidden.toString().equals(r.headers().get("ce_id")), PATIENCE);
        assertTrue(out.stream().anyMatch(r -> forbidden.toString().equals(r.headers().get("ce_id"))),
                "the retried event was not published");
        assertFalse(parkedIds(given().auth().oauth2(operator()).when().get("/operator/parked-events").then()
                .statusCode(200).extract().asString()).contains(forbidden.toString()));

        // Discard: gone for good, and the audit record names the operator and the event.
        given().auth().oauth2(operator()).when().delete("/operator/parked-events/" + large.get("position").asLong())
                .then().statusCode(200).body("eventId", org.hamcrest.Matchers.equalTo(tooLarge.toString()));
        given().auth().oauth2(operator()).when().delete("/operator/parked-events/" + large.get("position").asLong())
                .then().statusCode(404).contentType("application/problem+json");
        assertFalse(parkedIds(given().auth().oauth2(operator()).when().get("/operator/parked-events").then()
                .statusCode(200).extract().asString()).contains(tooLarge.toString()));
        JsonNode discard = auditRecord(r -> "outbox.parked.discard".equals(r.path("action").asText())
                && tooLarge.toString().equals(r.path("resourceId").asText()));
        assertEquals("olga.operator", discard.at("/actor/username").asText());
        assertEquals("operator", discard.at("/actor/role").asText());
        assertEquals("GRANTED", discard.get("outcome").asText());
        await().atMost(PATIENCE).until(() -> gauge() == count - 2);
    }

    @Test
    void a1_onlyAnOperatorHandlesParkedEvents_andEveryRefusalIsAudited() {
        String teacher = Fixtures.teacher();
        String counsellor = Fixtures.counsellor();
        record Call(String method, String path) {
        }
        List<Call> calls = List.of(new Call("GET", "/operator/parked-events"),
                new Call("POST", "/operator/parked-events/1/retry"), new Call("DELETE", "/operator/parked-events/1"));
        for (Call call : calls) {
            for (String token : List.of(teacher, counsellor)) {
                String correlation = UUID.randomUUID().toString();
                String body = given().auth().oauth2(token).header("X-Correlation-Id", correlation)
                        .when().request(call.method(), call.path())
                        .then().statusCode(403).contentType("application/problem+json").extract().asString();
                assertFalse(body.contains("eventId"), body);
                assertRefused(correlation);
            }
            String correlation = UUID.randomUUID().toString();
            given().header("X-Correlation-Id", correlation).when().request(call.method(), call.path())
                    .then().statusCode(401).contentType("application/problem+json");
            assertRefused(correlation);
        }
        // A position where nothing is parked (or no position at all): 404, audited, for retry and discard alike.
        for (Call call : calls.subList(1, 3)) {
            for (String position : List.of(String.valueOf(Long.MAX_VALUE), "abc", "-1")) {
                String correlation = UUID.randomUUID().toString();
                given().auth().oauth2(operator()).header("X-Correlation-Id", correlation)
                        .when().request(call.method(), call.path().replace("/1", "/" + position))
                        .then().statusCode(404).contentType("application/problem+json");
                assertRefused(correlation);
            }
        }
    }

    private void assertRefused(String correlation) {
        JsonNode record = auditRecord(r -> correlation.equals(r.path("correlationId").asText()));
        assertEquals("REFUSED", record.get("outcome").asText(), record.toString());
    }

    private JsonNode auditRecord(java.util.function.Predicate<JsonNode> wanted) {
        List<Received> read = TestTopics.readUntil(TestTopics.admin(), AUDIT, r -> wanted.test(tree(r.value())), PATIENCE);
        JsonNode last = tree(read.isEmpty() ? "{}" : read.get(read.size() - 1).value());
        assertTrue(wanted.test(last), "no such audit record on " + AUDIT);
        return last;
    }

    private static final Pattern GAUGE = Pattern.compile("(?m)^ntk_outbox_parked(?:\\{[^}]*\\})? ([0-9.eE+-]+)$");

    private static long gauge() {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = GAUGE.matcher(metrics);
        assertTrue(m.find(), "no gauge ntk_outbox_parked");
        return (long) Double.parseDouble(m.group(1));
    }

    private void grantWrite(String topic) throws Exception {
        try (Admin admin = Admin.create(TestTopics.admin())) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(1, TimeUnit.MINUTES);
            admin.createAcls(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                    new AccessControlEntry("User:case-service", "*", AclOperation.WRITE, AclPermissionType.ALLOW))))
                    .all().get(1, TimeUnit.MINUTES);
        }
    }

    private Set<String> parkedIds(String listing) {
        Set<String> ids = new HashSet<>();
        tree(listing).forEach(e -> ids.add(e.get("eventId").asText()));
        return ids;
    }

    private JsonNode entry(String listing, UUID eventId) {
        for (JsonNode e : tree(listing)) {
            if (eventId.toString().equals(e.get("eventId").asText())) {
                return e;
            }
        }
        throw new AssertionError("not parked: " + eventId);
    }

    private static Set<String> fields(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private JsonNode tree(String text) {
        try {
            return json.readTree(text);
        } catch (Exception e) {
            return json.createObjectNode();
        }
    }
}
