package be.needtoknow.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import be.needtoknow.stack.KafkaAccess;
import be.needtoknow.stack.Suite;
import be.needtoknow.stack.Tokens;
import be.needtoknow.testing.TestTopics;
import io.restassured.http.ContentType;

/**
 * Tracing on the packaged suite: one trace id from a school platform's request to the stored audit
 * record. A teacher's signal is sent to case-service with a W3C traceparent of a known trace; the
 * audit record of it goes through case-service's outbox and relay to ntk.audit.v1 with that trace
 * as the CloudEvents distributed-tracing extension (ce_traceparent), and audit-service stores it
 * with that trace id as its correlation id, which the DPO reads through the API. On the shared suite.
 */
class TracingTest {

    @Test
    void a1_oneTraceIdFromTheRequestThroughKafkaToTheDposTrail() throws Exception {
        Suite suite = SharedSuite.get();
        byte[] random = new byte[24];
        ThreadLocalRandom.current().nextBytes(random);
        String traceId = HexFormat.of().formatHex(random, 0, 16);
        String traceparent = "00-" + traceId + "-" + HexFormat.of().formatHex(random, 16, 24) + "-01";

        String teacher = Tokens.password(suite.keycloak().tokenEndpoint(), "an.teacher", Tokens.DEMO_PASSWORD);
        String signal = given().baseUri(suite.serviceUrl("case-service")).auth().oauth2(teacher)
                .header("traceparent", traceparent).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"sj-1001\", \"concern\": \"Quiet in class %s\"}".formatted(UUID.randomUUID()))
                .when().post("/signals")
                .then().statusCode(201).extract().path("id");
        assertNotNull(signal);

        // On the topic, read as audit-service reads it (its own principal).
        Map<String, Object> auditService = suite.kafka().clientConfig("audit-service",
                KafkaAccess.developmentPassword("audit-service"));
        List<TestTopics.Received> read = TestTopics.readUntil(auditService, "ntk.audit.v1",
                r -> r.value().contains(signal) && r.value().contains("\"signal.report\""), Duration.ofSeconds(30));
        TestTopics.Received record = read.get(read.size() - 1);
        assertTrue(record.value().contains(signal), "no audit record of the signal on ntk.audit.v1");
        String sent = record.headers().get("ce_traceparent");
        assertNotNull(sent, "no ce_traceparent on the audit record's CloudEvent");
        assertEquals(traceId, sent.substring(3, 35), sent);
        JsonNode payload = new ObjectMapper().readTree(record.value());
        assertEquals(traceId, payload.get("correlationId").asText());

        // Stored by audit-service, as the DPO of the school reads it.
        String dpo = Tokens.password(suite.keycloak().tokenEndpoint(), "frank.dpo", Tokens.DEMO_PASSWORD);
        String correlationId = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(
                () -> given().baseUri(suite.serviceUrl("audit-service")).auth().oauth2(dpo)
                        .queryParam("pupilId", "sj-1001").queryParam("action", "signal.report")
                        .when().get("/audit-records")
                        .then().statusCode(200).extract().<String>path(
                                "find { it.record.resourceId == '%s' }.record.correlationId".formatted(signal)),
                java.util.Objects::nonNull);
        assertEquals(traceId, correlationId);
    }
}
