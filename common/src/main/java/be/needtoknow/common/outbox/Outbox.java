package be.needtoknow.common.outbox;

import java.sql.PreparedStatement;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.Session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import be.needtoknow.common.tracing.TraceContext;

/**
 * The transactional outbox: an event is stored in the caller's transaction, so it exists if and
 * only if the change it announces was committed. {@link OutboxRelay} publishes it afterwards.
 */
@ApplicationScoped
public class Outbox {

    /** Rows per insert statement: well under PostgreSQL's 65,535 parameters (9 per row). */
    private static final int ROWS_PER_STATEMENT = 500;

    @Inject
    ObjectMapper json;

    @Inject
    EntityManager entityManager;

    @Inject
    Event<Appended> appended;

    @ConfigProperty(name = "quarkus.application.name")
    String service;

    /** Fired once per append; the relay observes it after the transaction commits. */
    public record Appended(UUID eventId) {
    }

    /** An event to store: its topic, key, CloudEvents type and subject, and its data (written as JSON). */
    public record Pending(String topic, String key, String type, String subject, Object data) {
    }

    @Transactional(TxType.MANDATORY)
    public UUID append(String topic, String key, String type, String subject, Object data) {
        return append(List.of(new Pending(topic, key, type, subject, data))).get(0);
    }

    /**
     * Stores the events, in this order, in one statement (per 500): a request that records many
     * audit records (a list of notes read, a referral's disclosures) makes one round trip for them,
     * not one each. Plain JDBC on the transaction's own connection, since Hibernate inserts an
     * entity with a database-generated position one statement at a time; the position (identity)
     * is still the database's, in the rows' order. (The relay publishes what is committed in position
     * order; of two transactions at once, the one with the lower position may commit last, and its
     * events are then published after the other's: an event is never published before one that
     * committed before it was stored.)
     *
     * @return the events' ids (the CloudEvents ids), in the same order
     */
    @Transactional(TxType.MANDATORY)
    public List<UUID> append(List<Pending> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        OffsetDateTime occurredAt = OffsetDateTime.now(ZoneOffset.UTC);
        String source = "/" + service;
        // Tracing: the trace of the request (or scheduled work) that made the events travels with them:
        // the relay puts it on the Kafka record as the CloudEvents traceparent extension, however much later.
        String traceparent = TraceContext.currentTraceparent();
        List<UUID> ids = new ArrayList<>(events.size());
        List<String> payloads = new ArrayList<>(events.size());
        for (Pending event : events) {
            ids.add(UUID.randomUUID());
            try {
                payloads.add(json.writeValueAsString(event.data()));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("Event data of type " + event.type() + " cannot be written as JSON", e);
            }
        }
        // The change the events announce is written first, as an entity's insert did before: a
        // conflict (a unique key) then fails here, in the request, not in the commit's flush.
        entityManager.flush();
        entityManager.unwrap(Session.class).doWork(connection -> {
            for (int from = 0; from < events.size(); from += ROWS_PER_STATEMENT) {
                int to = Math.min(events.size(), from + ROWS_PER_STATEMENT);
                StringBuilder sql = new StringBuilder("INSERT INTO outbox_event "
                        + "(event_id, topic, event_key, event_type, source, subject, occurred_at, payload, traceparent) VALUES ");
                for (int i = from; i < to; i++) {
                    sql.append(i == from ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?, ?, ?)");
                }
                try (PreparedStatement insert = connection.prepareStatement(sql.toString())) {
                    int p = 1;
                    for (int i = from; i < to; i++) {
                        Pending event = events.get(i);
                        insert.setObject(p++, ids.get(i));
                        insert.setString(p++, event.topic());
                        insert.setString(p++, event.key());
                        insert.setString(p++, event.type());
                        insert.setString(p++, source);
                        if (event.subject() == null) {
                            insert.setNull(p++, Types.VARCHAR);
                        } else {
                            insert.setString(p++, event.subject());
                        }
                        insert.setObject(p++, occurredAt);
                        insert.setString(p++, payloads.get(i));
                        if (traceparent == null) {
                            insert.setNull(p++, Types.VARCHAR);
                        } else {
                            insert.setString(p++, traceparent);
                        }
                    }
                    insert.executeUpdate();
                }
            }
        });
        appended.fire(new Appended(ids.get(0)));
        return ids;
    }
}
