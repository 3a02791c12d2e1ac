package be.needtoknow.audit.ingest;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.erdtman.jcs.JsonCanonicalizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import be.needtoknow.common.audit.AuditRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;

/**
 * Appends the audit records of ntk.audit.v1 to the trail, idempotently on the CloudEvents id: a
 * record delivered twice (the outbox publishes at least once) is counted, not stored twice. A
 * message that is not a valid audit record is nacked, so it goes to the dead-letter topic and
 * ingest goes on; a database failure is retried until the record is stored (nothing is lost).
 */
@ApplicationScoped
public class AuditIngest {

    private static final Set<String> OUTCOMES = Set.of("GRANTED", "REFUSED");

    @Inject
    AuditLog log;

    @Inject
    ObjectMapper json;

    private final Counter appended;
    private final Counter duplicates;
    private final Counter rejected;

    @Inject
    public AuditIngest(MeterRegistry registry) {
        appended = registry.counter("ntk.audit.records.appended");
        duplicates = registry.counter("ntk.audit.records.duplicates");
        rejected = registry.counter("ntk.audit.records.rejected");
    }

    @Incoming("audit-records")
    @Blocking(ordered = true)
    public CompletionStage<Void> ingest(Message<String> message) {
        AuditLog.Entry entry;
        try {
            entry = validate(message);
        } catch (InvalidAuditRecord e) {
            rejected.increment();
            return message.nack(e);
        }
        (log.append(entry) ? appended : duplicates).increment();
        return message.ack();
    }

    AuditLog.Entry validate(Message<String> message) {
        IncomingCloudEventMetadata<?> cloudEvent = message.getMetadata(IncomingCloudEventMetadata.class)
                .orElseThrow(() -> new InvalidAuditRecord("not a CloudEvent (no ce_* headers)"));
        if (!AuditRecord.EVENT_TYPE.equals(cloudEvent.getType())) {
            throw new InvalidAuditRecord("unexpected event type " + cloudEvent.getType());
        }
        UUID eventId;
        try {
            eventId = UUID.fromString(cloudEvent.getId());
        } catch (IllegalArgumentException e) {
            throw new InvalidAuditRecord("the event id is not a UUID");
        }
        JsonNode record;
        try {
            record = json.readTree(message.getPayload());
        } catch (JsonProcessingException | IllegalArgumentException e) {
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
        String outcome = required(record, "outcome");
        if (!OUTCOMES.contains(outcome)) {
            throw new InvalidAuditRecord("outcome is neither GRANTED nor REFUSED");
        }
        JsonNode pupil = record.get("pupilPseudonym");
        if (pupil != null && !pupil.isNull() && !pupil.asText().matches("[0-9a-f]{64}")) {
            // A2/N2: only a keyed pseudonym may stand for a pupil in the trail.
            throw new InvalidAuditRecord("pupilPseudonym is not a pseudonym");
        }
        String canonical;
        try {
            // A2: the record as the tree's leaf, in RFC 8785 canonical form, so anyone can recompute its bytes.
            canonical = new JsonCanonicalizer(message.getPayload()).getEncodedString();
        } catch (IOException | RuntimeException e) {
            throw new InvalidAuditRecord("the data cannot be put in canonical form (RFC 8785)");
        }
        return new AuditLog.Entry(eventId, cloudEvent.getSource().toString(), occurredAt,
                required(record, "organisationId"), pupil == null || pupil.isNull() ? null : pupil.asText(),
                required(record.path("actor"), "username"), required(record.path("actor"), "role"),
                required(record, "action"), outcome, canonical);
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
