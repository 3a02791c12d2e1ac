package be.needtoknow.common.outbox;

import java.util.UUID;

/**
 * Announced by the relay, in its own transaction, when it parks an event the broker refuses for
 * good: a synchronous CDI event, which the audit trail observes to record the parking for the
 * deployment's operator (A1). An event rather than a call, because the outbox is the transport of
 * the audit records and so sits below the audit trail: it tells, the trail records.
 *
 * @param eventId    the parked event's CloudEvents id
 * @param subject    the parked event's CloudEvents subject ("type/id"), may be null
 * @param attempts   the counted attempts before it was parked
 * @param errorClass the class of the broker's failure, never its message
 */
public record EventParked(UUID eventId, String subject, int attempts, String errorClass) {
}
