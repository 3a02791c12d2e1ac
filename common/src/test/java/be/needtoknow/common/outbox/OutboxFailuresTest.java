package be.needtoknow.common.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

/** Which failures park an event at once, and which are retried (in order, nothing lost). */
class OutboxFailuresTest {

    @Test
    void aFailureOfTheEventItselfIsPermanent_evenWrapped() {
        assertTrue(OutboxFailures.permanent(new RecordTooLargeException("The message is 1200100 bytes")));
        assertTrue(OutboxFailures.permanent(new ExecutionException(new TopicAuthorizationException(Set.of("t")))));
        assertTrue(OutboxFailures.permanent(new IllegalStateException("nacked", new InvalidTopicException("bad name"))));
    }

    @Test
    void aFailureOfTheBrokerOrTheWayToItIsRetried() {
        assertFalse(OutboxFailures.permanent(new TimeoutException("Topic t not present in metadata after 10000 ms.")));
        assertFalse(OutboxFailures.permanent(new ExecutionException(new NetworkException("disconnected"))));
        assertFalse(OutboxFailures.permanent(new NotEnoughReplicasException("isr")));
        // A topic not (yet) known heals when it is created: parked only after ntk.outbox.park-after attempts.
        assertFalse(OutboxFailures.permanent(new UnknownTopicOrPartitionException("t")));
        assertFalse(OutboxFailures.permanent(new java.util.concurrent.TimeoutException()));
    }

    @Test
    void theReasonIsTheKafkaErrorAndItsMessage_boundedInLength() {
        OutboxFailures.Reason reason = OutboxFailures.Reason.of(new ExecutionException(
                new IllegalStateException("wrapper", new RecordTooLargeException("x".repeat(5000)))));
        assertEquals(RecordTooLargeException.class.getName(), reason.errorClass());
        assertEquals(OutboxFailures.Reason.MAX_MESSAGE, reason.message().length());
        OutboxFailures.Reason plain = OutboxFailures.Reason.of(new KafkaException("failed", new java.io.IOException("io")));
        assertEquals(KafkaException.class.getName(), plain.errorClass());
    }
}
