package be.needtoknow.cases.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import be.needtoknow.common.audit.AuditTrail;
import be.needtoknow.common.outbox.OutboxRelay;
import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.TestTopics;
import be.needtoknow.testing.TestTopics.Received;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Two relays on one outbox (two instances of the service on one database), here two
 * threads draining besides the service's own relay while audit records are appended: every record is
 * published exactly once and in the order of the outbox (A1: the trail is complete and in order).
 */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
class TwoRelaysTest {

    private static final int TRANSACTIONS = 150;
    private static final int PER_TRANSACTION = 2;

    @Inject
    OutboxRelay relay;

    @Inject
    AuditTrail audit;

    @Inject
    ObjectMapper json;

    @Test
    void a1_twoRelaysPublishEveryEventOnceAndInOrder() throws Exception {
        String run = UUID.randomUUID().toString();
        AtomicBoolean appending = new AtomicBoolean(true);
        AtomicInteger published = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(3);
        // One appender, transaction after transaction: positions follow the sequence numbers. All
        // records share one key (the deployment's organisation), so they share one partition.
        Future<?> appender = threads.submit(() -> {
            try {
                for (int t = 0; t < TRANSACTIONS; t++) {
                    int first = t * PER_TRANSACTION;
                    QuarkusTransaction.requiringNew().run(() -> {
                        for (int i = first; i < first + PER_TRANSACTION; i++) {
                            audit.bySystem("relay-order-test", "relay-test", run + "/" + i, null);
                        }
                    });
                }
            } finally {
                appending.set(false);
            }
        });
        List<Future<?>> drainers = new ArrayList<>();
        for (int d = 0; d < 2; d++) {
            drainers.add(threads.submit(() -> {
                while (appending.get()) {
                    published.addAndGet(relay.publishBatch());
                }
                for (int i = 0; i < 20; i++) {
                    published.addAndGet(relay.publishBatch());
                }
            }));
        }
        appender.get(5, TimeUnit.MINUTES);
        for (Future<?> d : drainers) {
            d.get(5, TimeUnit.MINUTES);
        }
        threads.shutdown();
        assertTrue(published.get() > 0, "the test's relays published nothing (the service's relay did it all)");

        int total = TRANSACTIONS * PER_TRANSACTION;
        List<Integer> seen = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        String prefix = run + "/";
        TestTopics.readUntil(TestTopics.admin(), "ntk.audit.v1", r -> {
            collect(r, prefix, seen, ids);
            return seen.size() >= total;
        }, Duration.ofSeconds(90));
        // Read once more, to the topic's end, for any copy published after the last one.
        seen.clear();
        ids.clear();
        TestTopics.readToEnd(TestTopics.admin(), "ntk.audit.v1").forEach(r -> collect(r, prefix, seen, ids));
        assertEquals(IntStream.range(0, total).boxed().toList(), seen, "not every record exactly once, in order");
        assertEquals(total, ids.stream().distinct().count(), "a CloudEvents id published twice");
    }

    private void collect(Received r, String prefix, List<Integer> seen, List<String> ids) {
        if (!r.value().contains(prefix)) {
            return;
        }
        try {
            JsonNode record = json.readTree(r.value());
            String resource = record.path("resourceId").asText();
            if ("relay-order-test".equals(record.path("action").asText()) && resource.startsWith(prefix)) {
                seen.add(Integer.parseInt(resource.substring(prefix.length())));
                ids.add(r.headers().get("ce_id"));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
