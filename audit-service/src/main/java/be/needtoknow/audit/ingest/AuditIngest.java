package be.needtoknow.audit.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import be.needtoknow.common.audit.AuditRecord;
import be.needtoknow.common.tracing.TraceContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordBatchMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Appends the audit records of ntk.audit.v1 to the trail in batches (one transaction for what one
 * poll brings), idempotently on the CloudEvents id: a record delivered twice (the outbox publishes
 * at least once) is counted, not stored twice. A message that is not a valid audit record goes to
 * the dead-letter topic with the reason (header {@code dead-letter-reason}) and ingest goes on; a
 * database failure is retried until the batch is stored (nothing is lost). The batch is
 * acknowledged only when its records are stored and its dead letters delivered.
 *
 * <p>A pipeline of two stages: this class validates (on the connector's ordered worker), the log's
 * one writer ({@link AppendSequencer}) stores, in the same order, while the next batches are
 * validated.
 *
 * <p>Tracing: the ingest of each record is a span that continues the trace of the request
 * that made the record, read from the record's CloudEvents distributed-tracing extension
 * ({@code ce_traceparent}, put there by the producing service's outbox relay); it ends when the
 * record is stored (or refused). The connector's own tracing stays off on this channel: it would
 * read a plain {@code traceparent} header, and its span per record would hold the record's key (a
 * pupil's pseudonym). The span holds the topic, partition, offset and, once validated, the event
 * id: never the key or the data.
 */
@ApplicationScoped
public class AuditIngest {

    private static final Set<String> OUTCOMES = Set.of("GRANTED", "REFUSED");
    private static final java.util.regex.Pattern PSEUDONYM = java.util.regex.Pattern.compile("[0-9a-f]{64}");

    @Inject
    AppendSequencer writer;

    @Inject
    Tracer tracer;

    /** Records as trees; a member named twice is refused (RFC 8785 has no canonical form for it). */
    private final ObjectReader json;

    @Inject
    @Channel("audit-dead-letters")
    Emitter<String> deadLetters;

    private final Counter rejected;

    @Inject
    public AuditIngest(MeterRegistry registry, ObjectMapper mapper) {
        json = mapper.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
        rejected = registry.counter("ntk.audit.records.rejected");
    }

    /**
     * The first stage of the pipeline, on the connector's one ordered worker: validates a batch
     * (parse, canonical form, leaf hash; dead letters sent) and hands it to the log's one writer
     * ({@link AppendSequencer}), which stores and acknowledges it. It returns as soon as the batch
     * is handed over, so that the next batch is validated while this one is stored; it waits while
     * the writer has {@link AppendSequencer#WAITING_BATCHES} batches waiting.
     */
    @Incoming("audit-records")
    @Blocking(ordered = true)
    @SuppressWarnings("unchecked")
    public CompletionStage<Void> ingest(Message<List<String>> batch) throws InterruptedException {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        batch.getMetadata(IncomingKafkaRecordBatchMetadata.class)
                .ifPresent(m -> ((IncomingKafkaRecordBatchMetadata<String, String>) m).getRecords().forEach(records::add));
        List<AuditLog.Entry> entries = new ArrayList<>(records.size());
        List<CompletableFuture<Void>> dead = new ArrayList<>();
        List<Span> spans = new ArrayList<>(records.size());
        for (ConsumerRecord<String, String> record : records) {
            Span span = startSpan(record);
            spans.add(span);
            try {
                AuditLog.Entry entry = validate(record);
                span.setAttribute("messaging.message.id", entry.eventId().toString());
                entries.add(entry);
            } catch (InvalidAuditRecord e) {
                rejected.increment();
                // The reason names a field or a rule, never a value.
                span.setStatus(StatusCode.ERROR, "dead letter: " + e.getMessage());
                dead.add(deadLetter(record, e.getMessage()));
            }
        }
        writer.submit(new AppendSequencer.Batch(entries, dead, batch, spans));
        return CompletableFuture.completedFuture(null);
    }

    /** The span of a record's ingest, in the trace of the request that made it (its ce_traceparent), or a new trace. */
    private Span startSpan(ConsumerRecord<String, String> record) {
        return tracer.spanBuilder("process " + record.topic())
                .setParent(TraceContext.parentOf(header(record, "ce_" + TraceContext.TRACEPARENT)))
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "process")
                .setAttribute("messaging.destination.name", record.topic())
                .setAttribute("messaging.consumer.group.name", "audit-service")
                .setAttribute("messaging.destination.partition.id", Integer.toString(record.partition()))
                .setAttribute("messaging.kafka.offset", record.offset())
                .startSpan();
    }

    /** The record as it came, with its headers and the reason, to the dead-letter topic. */
    private CompletableFuture<Void> deadLetter(ConsumerRecord<String, String> record, String reason) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            headers.add(header);
        }
        headers.add("dead-letter-reason", reason.getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-topic", record.topic().getBytes(StandardCharsets.UTF_8));
        CompletableFuture<Void> sent = new CompletableFuture<>();
        deadLetters.send(Message.of(record.value() == null ? "" : record.value())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(record.key()).withHeaders(headers).build())
                .withAck(() -> {
                    sent.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    sent.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                }));
        return sent;
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    AuditLog.Entry validate(ConsumerRecord<String, String> message) {
        String id = header(message, "ce_id");
        if (id == null || header(message, "ce_specversion") == null || header(message, "ce_source") == null) {
            throw new InvalidAuditRecord("not a CloudEvent (no ce_* headers)");
        }
        String type = header(message, "ce_type");
        if (!AuditRecord.EVENT_TYPE.equals(type)) {
            throw new InvalidAuditRecord("unexpected event type " + type);
        }
        UUID eventId;
        try {
            eventId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new InvalidAuditRecord("the event id is not a UUID");
        }
        String payload = message.value();
        if (payload == null) {
            throw new InvalidAuditRecord("no data");
        }
        JsonNode record;
        try {
            record = json.readTree(payload);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidAuditRecord("the data is not JSON");
        }
        if (record == null || !record.isObject()) {
            throw new InvalidAuditRecord("the data is not a JSON object");
        }
        OffsetDateTime occurredAt;
        try {
            occurredAt = OffsetDateTime.parse(required(record, "occurredAt"));
        } catch (DateTimeParseException e) {
            throw new InvalidAuditRecord("occurredAt is not an RFC 3339 time");
        }
        int year = occurredAt.withOffsetSameInstant(java.time.ZoneOffset.UTC).getYear();
        if (year < 1 || year > 9998) {
            // The database stores years 1 to 9999 in UTC (RFC 3339 itself has four-digit years only):
            // a time it refuses would fail the batch, and stop ingest, for every record after it.
            throw new InvalidAuditRecord("occurredAt is out of range");
        }
        String outcome = required(record, "outcome");
        if (!OUTCOMES.contains(outcome)) {
            throw new InvalidAuditRecord("outcome is neither GRANTED nor REFUSED");
        }
        JsonNode pupil = record.get("pupilPseudonym");
        if (pupil != null && !pupil.isNull() && !PSEUDONYM.matcher(pupil.asText()).matches()) {
            // A2/N2: only a keyed pseudonym may stand for a pupil in the trail.
            throw new InvalidAuditRecord("pupilPseudonym is not a pseudonym");
        }
        String canonical;
        try {
            // A2: the record as the tree's leaf, in RFC 8785 canonical form, so anyone can recompute its bytes.
            canonical = CanonicalJson.of(record, payload);
        } catch (IOException | RuntimeException e) {
            throw new InvalidAuditRecord("the data cannot be put in canonical form (RFC 8785)");
        }
        // The leaf hash and the row here, off the writer's thread: they depend on the record only, not on its place.
        AuditLog.Entry entry = AuditLog.Entry.of(eventId, header(message, "ce_source"), Instant.now(), occurredAt,
                required(record, "organisationId"), pupil == null || pupil.isNull() ? null : pupil.asText(),
                required(record.path("actor"), "username"), required(record.path("actor"), "role"),
                optional(record.path("actor"), "organisationId"), required(record, "action"), outcome, canonical);
        if (entry.hasNul()) {
            // A database text cannot hold U+0000: storing it would fail, and stop ingest, for every record after it.
            throw new InvalidAuditRecord("a field holds the character U+0000");
        }
        return entry;
    }

    /** A text field that may be absent (the organisation of a caller refused before it was known). */
    private static String optional(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() ? null : value.asText();
    }

    private static String required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new InvalidAuditRecord("missing field " + field);
        }
        return value.asText();
    }

    /** A message on the audit topic that is not a valid audit record. */
    static final class InvalidAuditRecord extends RuntimeException {
        InvalidAuditRecord(String message) {
            super(message, null, false, false);
        }
    }
}
