package be.needtoknow.audit.query;

import com.fasterxml.jackson.databind.JsonNode;

/** One record of the trail as the DPO reads it: its position in the log and the record itself. */
public record AuditRecordView(long position, String eventId, String receivedAt, JsonNode record) {
}
