package be.needtoknow.common.outbox;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicAuthorizationException;

/**
 * Which failures to publish an outbox event will not heal by waiting: the event itself is
 * refused (too large, a topic name the broker rejects, a topic this service may not write). Anything
 * else (broker down, a timeout, a topic not (yet) known) is retried; an event that keeps failing while
 * the broker takes other events is parked after {@code ntk.outbox.park-after} attempts
 * ({@link OutboxRelay}).
 */
final class OutboxFailures {

    private static final Set<Class<? extends Throwable>> PERMANENT = Set.of(RecordTooLargeException.class,
            RecordBatchTooLargeException.class, InvalidTopicException.class, TopicAuthorizationException.class);

    /** Why an event failed, for its parked row and the log: an error class and its message, never the event. */
    record Reason(String errorClass, String message) {
        static final int MAX_MESSAGE = 1000;

        static Reason of(Throwable failure) {
            Throwable cause = cause(failure);
            String message = cause.getMessage() == null ? "" : cause.getMessage();
            return new Reason(cause.getClass().getName(),
                    message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message);
        }
    }

    private OutboxFailures() {
    }

    /** Whether the failure is one that waiting will not heal (the broker refuses this very event). */
    static boolean permanent(Throwable failure) {
        Set<Throwable> seen = new HashSet<>();
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            for (Class<? extends Throwable> type : PERMANENT) {
                if (type.isInstance(t)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The failure itself, without the wrappers of a future or of the messaging layer. */
    static Throwable cause(Throwable failure) {
        Throwable t = failure;
        Set<Throwable> seen = new HashSet<>();
        while (t.getCause() != null && seen.add(t)
                && (t instanceof ExecutionException || t instanceof java.util.concurrent.CompletionException
                        || !(t instanceof org.apache.kafka.common.KafkaException))) {
            t = t.getCause();
        }
        return t;
    }
}
