package be.needtoknow.common.outbox;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The transactional outbox: an event is stored in the caller's transaction, so it exists if and
 * only if the change it announces was committed. {@link OutboxRelay} publishes it afterwards.
 */
@ApplicationScoped
public class Outbox {

    @Inject
    ObjectMapper json;

    @Inject
    Event<Appended> appended;

    @ConfigProperty(name = "quarkus.application.name")
    String service;

    /** Fired once per append; the relay observes it after the transaction commits. */
    public record Appended(UUID eventId) {
    }

    @Transactional(TxType.MANDATORY)
    public UUID append(String topic, String key, String type, String subject, Object data) {
        OutboxEvent event = new OutboxEvent();
        event.eventId = UUID.randomUUID();
        event.topic = topic;
        event.key = key;
        event.type = type;
        event.source = "/" + service;
        event.subject = subject;
        event.occurredAt = OffsetDateTime.now(ZoneOffset.UTC);
        try {
            event.payload = json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Event data of type " + type + " cannot be written as JSON", e);
        }
        event.persist();
        appended.fire(new Appended(event.eventId));
        return event.eventId;
    }
}
