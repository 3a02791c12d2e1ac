package be.needtoknow.audit.query;

import com.fasterxml.jackson.databind.JsonNode;

/** One record of the trail as the DPO reads it: its leaf in the log's tree (for an inclusion proof) and the record itself. */
public record AuditRecordView(long leafIndex, String eventId, String receivedAt, JsonNode record) {
}
