package be.needtoknow.common.outbox;

import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

import be.needtoknow.common.tracing.TraceContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Publishes outbox events to Kafka as CloudEvents (binary mode) in outbox order, and marks them
 * sent once the broker acknowledged them. It runs right after each commit that appended events,
 * and on a fixed sweep for whatever a failure left behind: Kafka down means delayed, never lost.
 * An event may be published twice (a crash between the broker's ack and the commit of "sent"),
 * which is why every consumer deduplicates on the CloudEvents id.
 * <p>
 * Poison events: an event the broker refuses for good no longer holds back every later one: it is
 * parked ({@link ParkedEvents}, {@link OutboxFailures} says which failures), with an alarm
 * ({@link ParkedEventsAlarm}), a log line and an audit record (the audit trail observes
 * {@link EventParked}), and the relay goes on with the rest.
 * At most one relay publishes at a time per outbox (a transaction-scoped advisory lock), so two
 * instances of a service on one database keep the order: an event stored after another one
 * committed is published after it.
 * <p>
 * Tracing: each event carries the trace context of the request that appended it (stored
 * with the row) as the CloudEvents distributed-tracing extension, the header {@code ce_traceparent}
 * in binary mode, so that a consumer continues that request's trace; the publication of each event
 * is a span of its own in the same trace (a child of the request's span), ended at the broker's
 * acknowledgement. The span holds the topic, the event id and type, never the key (a pupil's
 * pseudonym), the subject (a record's id) or the data.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    @Inject
    @Channel("outbox")
    Emitter<String> emitter;

    @Inject
    OutboxSettings settings;

    /** {@link OutboxSettings#parkAfter()}, kept in a field so that a test can lower it on the running relay. */
    int parkAfter;

    @Inject
    ParkedEvents parked;

    @Inject
    ParkedEventsAlarm alarm;

    @Inject
    Event<EventParked> parkings;

    @Inject
    Tracer tracer;

    /** Counted failed attempts by position (see park-after): of the event at the head of the queue. */
    private final Map<Long, Integer> attempts = new ConcurrentHashMap<>();

    private final AtomicBoolean pending = new AtomicBoolean();
    private ScheduledExecutorService worker;

    void start(@Observes StartupEvent event) {
        parkAfter = settings.parkAfter();
        Duration sweepInterval = settings.sweepInterval();
        worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "outbox-relay");
            thread.setDaemon(true);
            return thread;
        });
        worker.scheduleWithFixedDelay(this::sweep, sweepInterval.toMillis(), sweepInterval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (worker != null) {
            worker.shutdownNow();
        }
    }

    void afterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) Outbox.Appended appended) {
        // Many appends in one transaction ask for one drain, not one each.
        if (worker != null && pending.compareAndSet(false, true)) {
            worker.execute(() -> {
                pending.set(false);
                drainQuietly();
            });
        }
    }

    private void sweep() {
        drainQuietly();
        alarm.refresh();
    }

    private void drainQuietly() {
        try {
            while (publishBatch() == settings.batchSize()) {
                // a full batch: there may be more
            }
        } catch (RuntimeException e) {
            LOG.warnf("Outbox relay could not publish (will retry): %s", e.getMessage());
        }
    }

    /**
     * Publishes one batch in one transaction; returns how many events it marked sent or parked (0
     * when another relay on the same outbox holds the relay lock: it publishes, this one waits for
     * its next round). Public for the tests that run relays side by side.
     */
    public int publishBatch() {
        List<Parked> parkedNow = new ArrayList<>();
        int done = QuarkusTransaction.requiringNew().timeout((int) settings.ackTimeout().toSeconds() + 15).call(() -> {
            // One relay at a time per outbox (two instances of a service on one database): a second
            // relay must not publish later events while the first still holds earlier ones.
            if (!OutboxEvent.tryRelayLock()) {
                return 0;
            }
            List<OutboxEvent> batch = OutboxEvent.lockNextBatch(settings.batchSize());
            List<CompletableFuture<Void>> acks = new ArrayList<>(batch.size());
            for (OutboxEvent event : batch) {
                acks.add(send(event));
            }
            // One deadline for the whole batch (sent at once): what is not acknowledged by then failed.
            long deadline = System.nanoTime() + settings.ackTimeout().toNanos();
            List<Long> acknowledged = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                OutboxEvent event = batch.get(i);
                Throwable failure = failureOf(acks.get(i), deadline);
                if (failure == null) {
                    attempts.remove(event.position);
                    acknowledged.add(event.position);
                    continue;
                }
                boolean permanent = OutboxFailures.permanent(failure);
                // A failure counts against the event only while the broker takes other events: an
                // outage (broker down or unreachable) parks nothing, however long it lasts.
                boolean counts = permanent || !acknowledged.isEmpty() || anyAcknowledged(acks, i + 1, deadline);
                int tries = counts ? attempts.merge(event.position, 1, Integer::sum)
                        : attempts.getOrDefault(event.position, 0);
                if (permanent || tries >= parkAfter) {
                    // Refused for good, or failing again and again while the broker takes other events.
                    attempts.remove(event.position);
                    parkedNow.add(park(event, OutboxFailures.Reason.of(failure), tries));
                    continue;
                }
                // Stop at the first failure that may heal, so that later events do not overtake it.
                LOG.warnf("Outbox event %s not acknowledged by Kafka (counted attempts %d of %d, will retry): %s",
                        event.eventId, tries, parkAfter, OutboxFailures.Reason.of(failure).errorClass());
                break;
            }
            // One statement for the acknowledged part of the batch, not one per event.
            return OutboxEvent.markSent(acknowledged, OffsetDateTime.now(ZoneOffset.UTC)) + parkedNow.size();
        });
        if (!parkedNow.isEmpty()) {
            // After the commit: the log lines of the alarm, and the gauge and readiness detail at once.
            for (Parked p : parkedNow) {
                LOG.errorf("Outbox event %s parked (position %d, type %s, topic %s) after %d attempt(s): %s: %s; "
                        + "the events behind it are published; an operator retries or discards it at "
                        + "/operator/parked-events", p.eventId(), p.position(), p.type(), p.topic(), p.attempts(),
                        p.reason().errorClass(), p.reason().message());
            }
            alarm.refresh();
        }
        return done;
    }

    /** What the relay logs of an event it parked: metadata and why, never the payload. */
    private record Parked(long position, UUID eventId, String type, String topic, int attempts,
            OutboxFailures.Reason reason) {
    }

    private Parked park(OutboxEvent event, OutboxFailures.Reason reason, int tries) {
        parked.park(event.position, reason, tries);
        // A1: the audit trail observes it and records it, in this transaction.
        parkings.fire(new EventParked(event.eventId, event.subject, tries, reason.errorClass()));
        return new Parked(event.position, event.eventId, event.type, event.topic, tries, reason);
    }

    /** The failure of a send, or null once acknowledged; a send not acknowledged in time has failed. */
    private Throwable failureOf(CompletableFuture<Void> ack, long deadline) {
        try {
            ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return null;
        } catch (java.util.concurrent.TimeoutException e) {
            return new java.util.concurrent.TimeoutException("not acknowledged by the broker within " + settings.ackTimeout()
                    + " (ntk.outbox.ack-timeout)");
        } catch (ExecutionException e) {
            return e.getCause() == null ? e : e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        } catch (Exception e) {
            return e;
        }
    }

    /** Whether the broker acknowledged any of these later sends: it works, only the failed event does not. */
    private boolean anyAcknowledged(List<CompletableFuture<Void>> acks, int from, long deadline) {
        for (int i = from; i < acks.size(); i++) {
            if (failureOf(acks.get(i), deadline) == null) {
                return true;
            }
        }
        return false;
    }

    private CompletableFuture<Void> send(OutboxEvent event) {
        CompletableFuture<Void> ack = new CompletableFuture<>();
        var builder = OutgoingCloudEventMetadata.builder()
                .withId(event.eventId.toString())
                .withType(event.type)
                .withSource(URI.create(event.source))
                .withSubject(event.subject)
                .withDataContentType("application/json")
                .withTimestamp(event.occurredAt.toZonedDateTime());
        if (event.traceparent != null) {
            // The request's context as it was stored (CloudEvents distributed tracing: the context in which
            // the event was made), not the relay's own span.
            builder = builder.withExtension(TraceContext.TRACEPARENT, event.traceparent);
        }
        OutgoingCloudEventMetadata<Object> cloudEvent = builder.build();
        Span span = tracer.spanBuilder("send " + event.topic)
                .setParent(TraceContext.parentOf(event.traceparent))
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "send")
                .setAttribute("messaging.destination.name", event.topic)
                .setAttribute("messaging.message.id", event.eventId.toString())
                .setAttribute("cloudevents.event_type", event.type)
                .startSpan();
        OutgoingKafkaRecordMetadata<String> kafka = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(event.topic)
                .withKey(event.key)
                .build();
        Message<String> message = Message.of(event.payload, Metadata.of(cloudEvent, kafka))
                .withAck(() -> {
                    span.end();
                    ack.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    // The failure's class only: a broker's message is no business of a trace.
                    span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
                    span.end();
                    ack.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                });
        try {
            emitter.send(message);
        } catch (RuntimeException e) {
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            span.end();
            throw e;
        }
        return ack;
    }
}
