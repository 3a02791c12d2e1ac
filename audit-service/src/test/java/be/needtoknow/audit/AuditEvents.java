package be.needtoknow.audit;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import be.needtoknow.testing.TestTokens;
import be.needtoknow.testing.TestTopics;

/** Publishes audit records to ntk.audit.v1 as another service's outbox relay would. */
public final class AuditEvents {

    private AuditEvents() {
    }

    public static Map<String, String> cloudEventHeaders(String id) {
        return Map.of("ce_specversion", "1.0", "ce_id", id, "ce_type", "be.needtoknow.audit.record.v1",
                "ce_source", "/case-service", "content-type", "application/json");
    }

    public static String record(String organisation, String pseudonym, String actor, String action) {
        return """
                {"occurredAt": "%s", "service": "case-service",
                 "actor": {"subject": "s-1", "username": "%s", "role": "pupil-counsellor",
                           "organisationId": "%s", "organisationType": "school"},
                 "action": "%s", "organisationId": "%s", "pupilPseudonym": "%s",
                 "resourceType": "case-file", "resourceId": "%s", "purpose": "pupil guidance",
                 "legalBasis": "legal-task", "outcome": "GRANTED", "correlationId": "c-1"}"""
                .formatted(OffsetDateTime.now(ZoneOffset.UTC), actor, organisation, action, organisation, pseudonym,
                        UUID.randomUUID());
    }

    public static void publish(String id, String key, String value) {
        TestTopics.send(TestTopics.as("case-service"), "ntk.audit.v1", key, value, cloudEventHeaders(id));
    }
}
