package be.needtoknow.audit.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;

/**
 * The one ordered writer of the audit log: validated batches are stored here, on one thread, in
 * the order ingest validated them, while ingest validates the next ones (the pipeline). Batches
 * that wait when the writer is free again are stored together, in one transaction (fewer, larger
 * round trips under load; one batch at a time when the load is light).
 *
 * <p>Why the order holds: ingest hands batches over in the order the connector delivers them (its
 * one ordered worker), this queue is first in, first out, and one thread takes from it; the tree's
 * order is the order of the commits of this thread (and, with two instances on one database, of
 * whichever holds the log's advisory lock, {@code MerkleLog#fence}). A batch is acknowledged only
 * after its transaction committed and its dead letters were delivered, so a crash or a failover
 * redelivers it (stored once, by its CloudEvents ids). Once a store failed for a reason other than
 * an unavailable database, nothing after it is stored: that batch and every later one is refused
 * (nacked), which stops the channel (failure strategy {@code fail}, health down) rather than
 * skipping a record.
 */
@ApplicationScoped
public class AppendSequencer {

    private static final Logger LOG = Logger.getLogger(AppendSequencer.class);

    /** Batches validated ahead of the writer; ingest waits when they are this many (backpressure). */
    static final int WAITING_BATCHES = 4;
    /** At most this many records in one transaction (batches are never split). */
    static final int RECORDS_PER_TRANSACTION = 3_000;

    /**
     * A validated batch: its records, its dead letters on their way, the message to acknowledge, and
     * the spans of its records' ingest (AuditIngest), ended here once the batch is stored or refused.
     */
    record Batch(List<AuditLog.Entry> entries, List<CompletableFuture<Void>> deadLetters, Message<?> message,
            List<Span> spans) {

        void ack() {
            spans.forEach(Span::end);
            message.ack();
        }

        void nack(Throwable failure) {
            for (Span span : spans) {
                // The failure's class only: a database's message may quote a row.
                span.setStatus(StatusCode.ERROR, "not acknowledged (delivered again): " + failure.getClass().getSimpleName());
                span.end();
            }
            message.nack(failure);
        }
    }

    @Inject
    AuditLog log;

    private final Counter appended;
    private final Counter duplicates;

    @Inject
    public AppendSequencer(MeterRegistry registry) {
        appended = registry.counter("ntk.audit.records.appended");
        duplicates = registry.counter("ntk.audit.records.duplicates");
    }

    private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(WAITING_BATCHES);
    private volatile Throwable failure;
    private volatile boolean closing;
    private Thread writer;

    /**
     * Hands a validated batch to the writer, waiting while {@link #WAITING_BATCHES} wait already.
     * Refuses it (nack) once the writer stopped on a failure.
     */
    public void submit(Batch batch) throws InterruptedException {
        start();
        while (true) {
            Throwable failed = failure;
            if (failed != null || closing) {
                batch.nack(failed != null ? failed : new IllegalStateException("audit ingest is stopping"));
                return;
            }
            if (queue.offer(batch, 200, TimeUnit.MILLISECONDS)) {
                return;
            }
        }
    }

    private synchronized void start() {
        if (writer == null) {
            writer = new Thread(this::run, "audit-log-writer");
            writer.setDaemon(true);
            writer.start();
        }
    }

    private void run() {
        List<Batch> taken = new ArrayList<>();
        while (!closing) {
            try {
                Batch first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                taken.add(first);
                int records = first.entries().size();
                // What waits now goes in the same transaction, as long as it fits (whole batches, in order).
                for (Batch next = queue.peek(); next != null && records + next.entries().size() <= RECORDS_PER_TRANSACTION;
                        next = queue.peek()) {
                    taken.add(queue.poll());
                    records += next.entries().size();
                }
                store(taken);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closing = true;
            } catch (Throwable e) {
                LOG.error("Audit ingest stopped: a batch could not be stored", e);
                failure = e;
                taken.forEach(b -> b.nack(e));
                Batch left;
                while ((left = queue.poll()) != null) {
                    left.nack(e);
                }
                return;
            } finally {
                taken.clear();
            }
        }
    }

    private void store(List<Batch> batches) {
        List<AuditLog.Entry> entries;
        if (batches.size() == 1) {
            entries = batches.get(0).entries();
        } else {
            entries = new ArrayList<>();
            batches.forEach(b -> entries.addAll(b.entries()));
        }
        // One transaction for all of them; a record repeated across the batches is stored once (AuditLog).
        int stored = entries.isEmpty() ? 0 : log.append(entries);
        appended.increment(stored);
        duplicates.increment(entries.size() - stored);
        for (Batch batch : batches) {
            CompletableFuture.allOf(batch.deadLetters().toArray(CompletableFuture[]::new))
                    .whenComplete((done, deadLetterFailure) -> {
                        if (deadLetterFailure == null) {
                            batch.ack();
                        } else {
                            batch.nack(deadLetterFailure);
                        }
                    });
        }
    }

    @PreDestroy
    void stop() {
        closing = true;
        Thread running;
        synchronized (this) {
            running = writer;
        }
        if (running != null) {
            try {
                // The transaction under way commits or rolls back; what is not acknowledged comes again.
                running.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
