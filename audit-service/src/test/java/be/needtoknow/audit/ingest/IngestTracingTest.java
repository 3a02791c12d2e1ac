package be.needtoknow.audit.ingest;

import be.needtoknow.testing.CollectedSpans;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import be.needtoknow.audit.AuditEvents;
import be.needtoknow.common.audit.PupilPseudonyms;
import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.TestTokens;
import be.needtoknow.testing.TestTopics;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Tracing: the ingest of an audit record continues the trace of the request that made it, read from
 * the record's ce_traceparent (CloudEvents distributed tracing), and its span holds neither the
 * record's key (a pupil's pseudonym) nor its data.
 */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
class IngestTracingTest {

    static final String SCHOOL = "school-sint-jan";
    private static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");

    @Inject
    CollectedSpans spans;

    @Inject
    PupilPseudonyms pseudonyms;

    @BeforeEach
    void collect() {
        spans.start();
    }

    @AfterEach
    void stopCollecting() {
        spans.stop();
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private Optional<SpanData> ingestSpanOf(String eventId) {
        return spans.finished().stream().filter(s -> s.getKind() == SpanKind.CONSUMER
                && eventId.equals(s.getAttributes().get(MESSAGE_ID))).findFirst();
    }

    private boolean stored(String pupil, String eventId) {
        List<Object> ids = given().auth().oauth2(TestTokens.of("frank.dpo", SCHOOL, "school", "dpo"))
                .queryParam("pupilId", pupil).when().get("/audit-records")
                .then().statusCode(200).extract().path("eventId");
        return ids.contains(eventId);
    }

    @Test
    void a1_theIngestOfARecordContinuesTheTraceOfItsCeTraceparent() {
        String pupil = "p-" + UUID.randomUUID();
        String pseudonym = pseudonyms.of(SCHOOL, pupil);
        String id = UUID.randomUUID().toString();
        String traceId = hex(16);
        String requestSpan = hex(8);
        Map<String, String> headers = new HashMap<>(AuditEvents.cloudEventHeaders(id));
        headers.put("ce_traceparent", "00-" + traceId + "-" + requestSpan + "-01");
        String record = AuditEvents.record(SCHOOL, pseudonym, "bart.counsellor", "case-file.open");
        TestTopics.send(TestTopics.as("case-service"), "ntk.audit.v1", pseudonym, record, headers);

        await().atMost(Duration.ofSeconds(30)).until(() -> stored(pupil, id));
        SpanData ingest = await().atMost(Duration.ofSeconds(30)).until(() -> ingestSpanOf(id), Optional::isPresent)
                .orElseThrow();
        assertEquals(traceId, ingest.getTraceId());
        assertEquals(requestSpan, ingest.getParentSpanId());
        assertEquals("process ntk.audit.v1", ingest.getName());
        assertEquals(StatusCode.UNSET, ingest.getStatus().getStatusCode());
        assertEquals("ntk.audit.v1", ingest.getAttributes().get(AttributeKey.stringKey("messaging.destination.name")));
        // N2: neither the key (the pseudonym) nor anything of the data.
        ingest.getAttributes().forEach((key, value) -> {
            assertFalse(value.toString().contains(pseudonym), key + " holds the record's key");
            assertFalse(value.toString().contains("bart.counsellor"), key + " holds the record's data");
        });
    }

    @Test
    void a1_aRecordWithoutTraceContextIsIngestedInATraceOfItsOwnAndAPoisonOnesSpanSaysWhy() {
        String pupil = "p-" + UUID.randomUUID();
        String plain = UUID.randomUUID().toString();
        AuditEvents.publish(plain, "k", AuditEvents.record(SCHOOL, pseudonyms.of(SCHOOL, pupil), "bart.counsellor",
                "case-file.read"));
        String poison = UUID.randomUUID().toString();
        String traceId = hex(16);
        Map<String, String> headers = new HashMap<>(AuditEvents.cloudEventHeaders(poison));
        headers.put("ce_traceparent", "00-" + traceId + "-" + hex(8) + "-01");
        TestTopics.send(TestTopics.as("case-service"), "ntk.audit.v1", "k", "{not json", headers);

        SpanData own = await().atMost(Duration.ofSeconds(30)).until(() -> ingestSpanOf(plain), Optional::isPresent)
                .orElseThrow();
        assertFalse(own.getParentSpanContext().isValid(), "a record without ce_traceparent starts a trace of its own");
        SpanData refused = await().atMost(Duration.ofSeconds(30)).until(() -> spans.finished().stream()
                .filter(s -> s.getKind() == SpanKind.CONSUMER && traceId.equals(s.getTraceId())).findFirst(),
                Optional::isPresent).orElseThrow();
        assertEquals(StatusCode.ERROR, refused.getStatus().getStatusCode());
        assertEquals("dead letter: the data is not JSON", refused.getStatus().getDescription());
    }
}
