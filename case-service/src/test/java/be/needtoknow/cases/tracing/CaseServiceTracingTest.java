package be.needtoknow.cases.tracing;

import be.needtoknow.testing.CollectedSpans;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import be.needtoknow.cases.Fixtures;
import be.needtoknow.common.tracing.SpanRedaction;
import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.TestTopics;
import be.needtoknow.testing.TestTopics.Received;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Tracing in case-service: a request's trace goes on through the outbox (the relay's
 * span and the Kafka record's ce_traceparent), the audit record's correlation id is the trace id,
 * and no span holds a pupil id, a case-file id, a note's text, a query or a token (N2).
 */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
class CaseServiceTracingTest {

    private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
    private static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
    private static final AttributeKey<String> URL_QUERY = AttributeKey.stringKey("url.query");

    @Inject
    CollectedSpans spans;

    @Inject
    ObjectMapper json;

    @BeforeEach
    void collect() {
        Fixtures.importStaff();
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

    private static String note(String token, String file, String text, String traceparent, String correlationId) {
        var request = given().auth().oauth2(token).contentType(ContentType.JSON);
        if (traceparent != null) {
            request.header("traceparent", traceparent);
        }
        if (correlationId != null) {
            request.header("X-Correlation-Id", correlationId);
        }
        return request.body("{\"kind\": \"OBSERVATION\", \"visibility\": \"CARE_TEAM\", \"text\": \"%s\"}".formatted(text))
                .when().post("/case-files/" + file + "/notes")
                .then().statusCode(201).extract().path("id");
    }

    /** The note.write audit record of this note on ntk.audit.v1, as a recipient of the topic reads it. */
    private Received auditRecordOf(String noteId) throws Exception {
        List<Received> read = TestTopics.readUntil(TestTopics.admin(), "ntk.audit.v1",
                r -> r.value().contains(noteId) && r.value().contains("\"note.write\""), Duration.ofSeconds(60));
        Received last = read.get(read.size() - 1);
        assertTrue(last.value().contains(noteId), "no audit record of the note's write on ntk.audit.v1");
        return last;
    }

    private static String traceIdOf(String traceparent) {
        assertNotNull(traceparent, "no ce_traceparent on the record");
        assertTrue(traceparent.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]"), traceparent);
        return traceparent.substring(3, 35);
    }

    @Test
    void a1_theTraceOfARequestGoesThroughTheOutboxAndIsTheAuditRecordsCorrelationId() throws Exception {
        String file = Fixtures.openCaseFile(Fixtures.newPupil(Fixtures.SCHOOL));
        String traceId = hex(16);
        String callerSpan = hex(8);
        String noteId = note(Fixtures.counsellor(), file, "Often tired in the morning.", "00-" + traceId + "-" + callerSpan + "-01", null);

        Received record = auditRecordOf(noteId);
        JsonNode payload = json.readTree(record.value());
        // The trace context of the request travelled with the outbox row onto the Kafka record (CloudEvents
        // distributed tracing, binary mode), and the correlation id is the trace id.
        assertEquals(traceId, traceIdOf(record.headers().get("ce_traceparent")));
        assertEquals(traceId, payload.get("correlationId").asText());

        // The request continued the caller's trace; the relay's publication is a span of that trace too,
        // a child of the request's span.
        SpanData server = await().atMost(Duration.ofSeconds(30)).until(() -> serverSpan(traceId, "/case-files/{id}/notes"),
                Optional::isPresent).orElseThrow();
        assertEquals(callerSpan, server.getParentSpanId());
        assertEquals("POST /case-files/{id}/notes", server.getName());
        String eventId = record.headers().get("ce_id");
        SpanData relay = await().atMost(Duration.ofSeconds(30)).until(() -> spans.finished().stream()
                .filter(s -> s.getKind() == SpanKind.PRODUCER && eventId.equals(s.getAttributes().get(
                        AttributeKey.stringKey("messaging.message.id")))).findFirst(), Optional::isPresent).orElseThrow();
        assertEquals(traceId, relay.getTraceId());
        assertEquals(server.getSpanId(), relay.getParentSpanId());
        assertEquals("send ntk.audit.v1", relay.getName());
        assertEquals(server.getSpanContext().getSpanId(), record.headers().get("ce_traceparent").substring(36, 52),
                "ce_traceparent is the request's context, not the relay's");
    }

    @Test
    void a1_aCorrelationIdTheCallerGivesIsKeptAndTheTraceTravelsBesideIt() throws Exception {
        String file = Fixtures.openCaseFile(Fixtures.newPupil(Fixtures.SCHOOL));
        String traceId = hex(16);
        String noteId = note(Fixtures.counsellor(), file, "Sleeps in class.", "00-" + traceId + "-" + hex(8) + "-01",
                "platform-request-17");
        Received record = auditRecordOf(noteId);
        assertEquals("platform-request-17", json.readTree(record.value()).get("correlationId").asText());
        assertEquals(traceId, traceIdOf(record.headers().get("ce_traceparent")));
    }

    @Test
    void a1_withoutTraceparentOrCorrelationIdTheRequestStartsATraceWhoseIdIsTheCorrelationId() throws Exception {
        String file = Fixtures.openCaseFile(Fixtures.newPupil(Fixtures.SCHOOL));
        String noteId = note(Fixtures.counsellor(), file, "Late three times this week.", null, null);
        Received record = auditRecordOf(noteId);
        String correlationId = json.readTree(record.value()).get("correlationId").asText();
        assertTrue(correlationId.matches("[0-9a-f]{32}"), correlationId);
        assertEquals(correlationId, traceIdOf(record.headers().get("ce_traceparent")));
    }

    /**
     * N2: markers and ids planted in the path, the query, the body and the token of requests, granted,
     * refused and unmatched, appear in no span name, attribute, event or status of any span an
     * exporter gets: the real path and query of an HTTP span are replaced (SpanRedaction), the
     * endpoint template stays.
     */
    @Test
    void n2_noSpanHoldsAPupilIdACaseFileIdContentAQueryOrAToken() {
        String pupil = Fixtures.newPupil(Fixtures.SCHOOL);
        String file = Fixtures.openCaseFile(pupil);
        String marker = "zz-marker-" + UUID.randomUUID();
        String traceId = hex(16);
        String traceparent = "00-" + traceId + "-" + hex(8) + "-01";
        String counsellor = Fixtures.counsellor();

        // Path (case-file id), query and body (a note's text).
        String noteId = given().auth().oauth2(counsellor).contentType(ContentType.JSON).header("traceparent", traceparent)
                .queryParam("marker", marker).queryParam("pupil", pupil)
                .body("{\"kind\": \"OBSERVATION\", \"visibility\": \"CARE_TEAM\", \"text\": \"Said: %s\"}".formatted(marker))
                .when().post("/case-files/" + file + "/notes")
                .then().statusCode(201).extract().path("id");
        given().auth().oauth2(counsellor).header("traceparent", traceparent).queryParam("q", marker)
                .when().get("/case-files/" + file + "/notes").then().statusCode(200);
        // A pupil id in the path.
        given().auth().oauth2(Fixtures.coordinator()).header("traceparent", traceparent)
                .when().get("/pupils/" + pupil + "/discernment").then().statusCode(200);
        // Refused: a made-up token that holds the marker, and a teacher opening a case file (pupil id in the body).
        given().auth().oauth2("eyJ" + marker).header("traceparent", traceparent)
                .when().get("/case-files/" + file).then().statusCode(401);
        given().auth().oauth2(Fixtures.teacher()).contentType(ContentType.JSON).header("traceparent", traceparent)
                .body("{\"pupilId\": \"%s\", \"reason\": \"%s\"}".formatted(pupil, marker))
                .when().post("/case-files").then().statusCode(403);
        // No endpoint at all: the pupil id and the marker in an unmatched path.
        given().auth().oauth2(counsellor).header("traceparent", traceparent)
                .when().get("/no-such-thing/" + pupil + "/" + marker).then().statusCode(404);

        // Every request's span has finished, and the relay published the note's audit record.
        await().atMost(Duration.ofSeconds(30)).until(() -> serverSpan(traceId, "/case-files/{id}/notes").isPresent()
                && serverSpan(traceId, "/pupils/{pupilId}/discernment").isPresent()
                && serverSpan(traceId, "/case-files").isPresent()
                && serverSpan(traceId, "/case-files/{id}").isPresent()
                && serverSpanOfStatus(traceId, 404).isPresent()
                && spans.finished().stream().anyMatch(s -> s.getKind() == SpanKind.PRODUCER && traceId.equals(s.getTraceId())));

        List<String> secrets = List.of(marker, pupil, file, noteId, counsellor,
                counsellor.substring(counsellor.lastIndexOf('.') + 1));
        List<SpanData> all = spans.finished();
        for (SpanData span : all) {
            for (String text : texts(span)) {
                for (String secret : secrets) {
                    assertTrue(!text.contains(secret), "span '" + span.getName() + "' holds a secret: " + text);
                }
            }
        }
        SpanData write = serverSpan(traceId, "/case-files/{id}/notes").orElseThrow();
        assertEquals("POST /case-files/{id}/notes", write.getName());
        assertEquals(SpanRedaction.REDACTED, write.getAttributes().get(URL_PATH), "the real path is replaced");
        assertEquals(SpanRedaction.REDACTED, write.getAttributes().get(URL_QUERY), "the real query is replaced");
        assertEquals("GET /pupils/{pupilId}/discernment", serverSpan(traceId, "/pupils/{pupilId}/discernment")
                .orElseThrow().getName());
        assertTrue(all.size() >= 7, "too few spans to prove anything: " + all.size());
    }

    private Optional<SpanData> serverSpan(String traceId, String route) {
        return spans.finished().stream().filter(s -> s.getKind() == SpanKind.SERVER && traceId.equals(s.getTraceId())
                && route.equals(s.getAttributes().get(ROUTE))).findFirst();
    }

    private Optional<SpanData> serverSpanOfStatus(String traceId, long status) {
        return spans.finished().stream().filter(s -> s.getKind() == SpanKind.SERVER && traceId.equals(s.getTraceId())
                && Long.valueOf(status).equals(s.getAttributes().get(AttributeKey.longKey("http.response.status_code"))))
                .findFirst();
    }

    /** Every text of a span an exporter would send: name, attributes, status, events and their attributes, links. */
    private static List<String> texts(SpanData span) {
        List<String> texts = new ArrayList<>();
        texts.add(span.getName());
        texts.add(span.getStatus().getDescription());
        span.getAttributes().forEach((key, value) -> texts.add(key.getKey() + "=" + value));
        span.getEvents().forEach(event -> {
            texts.add(event.getName());
            event.getAttributes().forEach((key, value) -> texts.add(key.getKey() + "=" + value));
        });
        span.getLinks().forEach(link -> link.getAttributes().forEach((key, value) -> texts.add(key.getKey() + "=" + value)));
        span.getResource().getAttributes().forEach((key, value) -> texts.add(key.getKey() + "=" + value));
        return texts;
    }
}
