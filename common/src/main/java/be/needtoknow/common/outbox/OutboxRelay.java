package be.needtoknow.common.outbox;

import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

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
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    @Inject
    @Channel("outbox")
    Emitter<String> emitter;

    @ConfigProperty(name = "ntk.outbox.batch-size", defaultValue = "200")
    int batchSize;

    @ConfigProperty(name = "ntk.outbox.sweep-interval", defaultValue = "PT1S")
    Duration sweepInterval;

    @ConfigProperty(name = "ntk.outbox.ack-timeout", defaultValue = "PT15S")
    Duration ackTimeout;

    private final AtomicBoolean pending = new AtomicBoolean();
    private ScheduledExecutorService worker;

    void start(@Observes StartupEvent event) {
        worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "outbox-relay");
            thread.setDaemon(true);
            return thread;
        });
        worker.scheduleWithFixedDelay(this::drainQuietly, sweepInterval.toMillis(), sweepInterval.toMillis(),
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

    private void drainQuietly() {
        try {
            while (publishBatch() == batchSize) {
                // a full batch: there may be more
            }
        } catch (RuntimeException e) {
            LOG.warnf("Outbox relay could not publish (will retry): %s", e.getMessage());
        }
    }

    /** Publishes one batch in one transaction; returns how many events it marked sent. */
    int publishBatch() {
        return QuarkusTransaction.requiringNew().timeout((int) ackTimeout.toSeconds() + 15).call(() -> {
            List<OutboxEvent> batch = OutboxEvent.lockNextBatch(batchSize);
            List<CompletableFuture<Void>> acks = new ArrayList<>(batch.size());
            for (OutboxEvent event : batch) {
                acks.add(send(event));
            }
            List<Long> acknowledged = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                try {
                    acks.get(i).get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    // Stop at the first failure so that later events do not overtake it.
                    LOG.warnf("Outbox event %s not acknowledged by Kafka (will retry): %s", batch.get(i).eventId,
                            e.getMessage());
                    break;
                }
                acknowledged.add(batch.get(i).position);
            }
            // One statement for the acknowledged part of the batch, not one per event.
            return OutboxEvent.markSent(acknowledged, OffsetDateTime.now(ZoneOffset.UTC));
        });
    }

    private CompletableFuture<Void> send(OutboxEvent event) {
        CompletableFuture<Void> ack = new CompletableFuture<>();
        OutgoingCloudEventMetadata<Object> cloudEvent = OutgoingCloudEventMetadata.builder()
                .withId(event.eventId.toString())
                .withType(event.type)
                .withSource(URI.create(event.source))
                .withSubject(event.subject)
                .withDataContentType("application/json")
                .withTimestamp(event.occurredAt.toZonedDateTime())
                .build();
        OutgoingKafkaRecordMetadata<String> kafka = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(event.topic)
                .withKey(event.key)
                .build();
        Message<String> message = Message.of(event.payload, Metadata.of(cloudEvent, kafka))
                .withAck(() -> {
                    ack.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    ack.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                });
        emitter.send(message);
        return ack;
    }
}
