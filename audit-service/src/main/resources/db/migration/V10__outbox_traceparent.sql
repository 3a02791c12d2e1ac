-- Issue 17, tracing: the W3C trace context (traceparent) of the request that appended an outbox
-- event, stored with the event so that the relay, whenever it runs, puts it on the Kafka record as
-- the CloudEvents distributed-tracing extension (header ce_traceparent) and the trace goes on past
-- the outbox (common: Outbox, OutboxRelay). Null for an event of work outside a traced request.
-- A parked event keeps it (moved with the event both ways, common: ParkedEvents).
ALTER TABLE outbox_event ADD COLUMN traceparent TEXT;
ALTER TABLE outbox_parked ADD COLUMN traceparent TEXT;
