package be.needtoknow.audit.report;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import be.needtoknow.audit.AuditEvents;
import be.needtoknow.testing.TestTopics;

/**
 * Audit records for the report tests: {@link AuditEvents#record} with the time, actor, outcome and
 * purpose a test needs, published in order through one producer (one key, so one partition: once the
 * last record is in the trail, all before it are too).
 */
final class ReportRecords {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportRecords() {
    }

    /** A record builder; every field has the base record's value until set. */
    static Builder record(String organisation, String actor, OffsetDateTime occurredAt) {
        return new Builder(organisation, actor, occurredAt);
    }

    /** A random pupil pseudonym (64 hex digits), as the trail holds them. */
    static String pseudonym() {
        byte[] bytes = new byte[32];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** A random, unique user name. */
    static String person(String kind) {
        return kind + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static final class Builder {
        private final ObjectNode node;

        Builder(String organisation, String actor, OffsetDateTime occurredAt) {
            try {
                node = (ObjectNode) JSON.readTree(AuditEvents.record(organisation, pseudonym(), actor, "note.read"));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            node.put("occurredAt", occurredAt.toString());
        }

        Builder pupil(String pseudonym) {
            if (pseudonym == null) {
                node.putNull("pupilPseudonym");
            } else {
                node.put("pupilPseudonym", pseudonym);
            }
            return this;
        }

        Builder action(String action) {
            node.put("action", action);
            return this;
        }

        Builder refused() {
            node.put("outcome", "REFUSED");
            node.put("reason", "not on the care team");
            return this;
        }

        Builder purpose(String purpose) {
            node.put("purpose", purpose);
            return this;
        }

        Builder role(String role) {
            ((ObjectNode) node.get("actor")).put("role", role);
            return this;
        }

        /** The actor's own organisation, when it is not the one whose pupil it is (a CLB worker). */
        Builder actorOrganisation(String organisation, String type) {
            ((ObjectNode) node.get("actor")).put("organisationId", organisation).put("organisationType", type);
            return this;
        }

        String build() {
            return node.toString();
        }
    }

    /** Publishes the records in this order, each with a new CloudEvents id. */
    static void publishAll(List<String> records) {
        Properties props = new Properties();
        props.putAll(TestTopics.as("case-service"));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        String key = "report-" + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (String value : records) {
                ProducerRecord<String, String> record = new ProducerRecord<>("ntk.audit.v1", key, value);
                AuditEvents.cloudEventHeaders(UUID.randomUUID().toString())
                        .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
                producer.send(record).get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("Could not publish the test records", e);
        }
    }
}
