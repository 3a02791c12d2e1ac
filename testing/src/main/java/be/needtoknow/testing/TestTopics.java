package be.needtoknow.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import be.needtoknow.stack.KafkaBroker;

/**
 * Reads and writes topics of a broker with the plain Kafka client, as another party would: as the
 * broker's administrator ({@link #admin()}) or as one principal of deploy/kafka/access.json
 * ({@link #as(String)}).
 */
public final class TestTopics {

    private TestTopics() {
    }

    /** The test broker's administrator (a super user, on its own listener). */
    public static Map<String, Object> admin() {
        return KafkaBroker.adminConfig(System.getProperty(TestStack.KAFKA_ADMIN_PROPERTY));
    }

    /** A principal of the test broker, with its test password. */
    public static Map<String, Object> as(String principal) {
        return KafkaBroker.clientConfig(System.getProperty(TestStack.KAFKA_PROPERTY), principal,
                TestStack.kafkaPassword(principal));
    }

    /** A record as read: key, value, headers (ce_* for CloudEvents in binary mode), partition and offset. */
    public record Received(String key, String value, Map<String, String> headers, int partition, long offset) {
    }

    /** A consumer of strings with the client's settings (no consumer group: it assigns partitions itself). */
    private static KafkaConsumer<String, String> consumer(Map<String, Object> client) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return new KafkaConsumer<>(props);
    }

    private static Received received(ConsumerRecord<String, String> r) {
        Map<String, String> headers = new HashMap<>();
        for (Header h : r.headers()) {
            headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
        return new Received(r.key(), r.value(), headers, r.partition(), r.offset());
    }

    /**
     * Records written shortly before a test class began count as its own too (a clock read a little
     * early, a record stamped when the relay sent it).
     */
    private static final Duration BEFORE_THE_CLASS = Duration.ofSeconds(10);

    /**
     * Reads the topic until a record matches, or the timeout ends; returns all read. It reads from
     * a little before the earliest test class running now began ({@link TestClassWindow}), or from
     * the beginning outside a test run: a class looks for records it caused itself.
     */
    public static List<Received> readUntil(Map<String, Object> client, String topic, Predicate<Received> wanted,
            Duration timeout) {
        List<Received> all = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer(client)) {
            // No consumer group: the reader needs READ on the topic only (as a recipient has).
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            seekToWindow(consumer, partitions);
            Instant deadline = Instant.now().plus(timeout);
            while (Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    Received received = received(r);
                    all.add(received);
                    if (wanted.test(received)) {
                        return all;
                    }
                }
            }
        }
        return all;
    }

    private static void seekToWindow(KafkaConsumer<String, String> consumer, List<TopicPartition> partitions) {
        var began = TestClassWindow.earliestRunningClassBegan();
        if (began.isEmpty()) {
            consumer.seekToBeginning(partitions);
            return;
        }
        // The end first: a record written between the two calls is then read, never skipped.
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        long from = began.get().minus(BEFORE_THE_CLASS).toEpochMilli();
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(p -> times.put(p, from));
        var offsets = consumer.offsetsForTimes(times);
        for (TopicPartition p : partitions) {
            var offset = offsets.get(p);
            // No record since then: only what comes next.
            consumer.seek(p, offset == null ? end.get(p) : offset.offset());
        }
    }

    /**
     * Reads every record the topic holds now, from the beginning to the end offsets read at the
     * start, in offset order per partition (records of one key keep their order).
     */
    public static List<Received> readToEnd(Map<String, Object> client, String topic) {
        List<Received> all = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer(client)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("Could not read " + topic + " to its end within a minute");
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    all.add(received(r));
                }
            }
        }
        return all;
    }

    /** Stops the test broker (fault tests); {@link #startBroker()} brings it back on the same port and logs. */
    public static void stopBroker() {
        brokerControl("stop");
    }

    public static void startBroker() {
        brokerControl("start");
    }

    private static void brokerControl(String operation) {
        try {
            java.lang.management.ManagementFactory.getPlatformMBeanServer()
                    .invoke(new javax.management.ObjectName(TestStack.KAFKA_CONTROL), operation, null, null);
        } catch (javax.management.JMException e) {
            throw new IllegalStateException("Could not " + operation + " the test broker", e);
        }
    }

    /** One producer per client configuration, kept for the test JVM: a producer's SCRAM handshake costs far more than a record. */
    private static final Map<Map<String, Object>, KafkaProducer<String, String>> PRODUCERS =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Produces one record with the given headers and waits for the broker's acknowledgement. */
    public static void send(Map<String, Object> client, String topic, String key, String value, Map<String, String> headers) {
        KafkaProducer<String, String> producer = PRODUCERS.computeIfAbsent(Map.copyOf(client), config -> {
            Properties props = new Properties();
            props.putAll(config);
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            return new KafkaProducer<>(props);
        });
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
        headers.forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        try {
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("Could not produce to " + topic, e);
        }
    }
}
