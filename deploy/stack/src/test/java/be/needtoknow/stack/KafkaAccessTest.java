package be.needtoknow.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnsupportedSaslMechanismException;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The broker refuses what deploy/kafka/access.json does not allow (domain rule N2): a
 * real broker with SASL/SCRAM and the StandardAuthorizer, the description applied to it, and every
 * principal trying every topic with the plain Kafka client, not through the suite's code.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaAccessTest {

    private static final Path REPOSITORY = Path.of("../..").toAbsolutePath().normalize();

    private KafkaBroker broker;
    private KafkaAccess access;
    private Path directory;

    @BeforeAll
    void start() throws Exception {
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        for (var handler : java.util.logging.Logger.getLogger("").getHandlers()) {
            handler.setLevel(java.util.logging.Level.SEVERE);
        }
        directory = Files.createTempDirectory("ntk-kafka-access");
        broker = KafkaBroker.start(directory, 0, KafkaBroker.Hosting.IN_THIS_JVM_FOR_TESTS);
        access = KafkaAccess.ofRepository(REPOSITORY);
        broker.apply(access, KafkaAccessTest::password);
        // One record in every topic, so that an allowed read is seen to read something.
        try (KafkaProducer<String, String> admin = producer(broker.adminConfig())) {
            for (String topic : access.topics()) {
                admin.send(new ProducerRecord<>(topic, "k", "seed of " + topic)).get(10, TimeUnit.SECONDS);
            }
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (broker != null) {
            broker.close();
        }
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static String password(String principal) {
        return "test-only-kafka-" + principal;
    }

    private Map<String, Object> as(String principal) {
        return broker.clientConfig(principal, password(principal));
    }

    @Test
    void theBrokerAllowsEveryPrincipalExactlyWhatTheDescriptionSaysOnEveryTopic() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (String principal : access.principals()) {
            try (KafkaProducer<String, String> producer = producer(as(principal));
                    KafkaConsumer<String, String> consumer = consumer(as(principal), null)) {
                for (String topic : access.topics()) {
                    boolean mayWrite = access.allows(principal, ResourceType.TOPIC, topic, AclOperation.WRITE);
                    if (mayWrite != canWrite(producer, topic)) {
                        wrong.add(principal + (mayWrite ? " could not write " : " wrote ") + topic);
                    }
                    boolean mayRead = access.allows(principal, ResourceType.TOPIC, topic, AclOperation.READ);
                    if (mayRead != canRead(consumer, topic)) {
                        wrong.add(principal + (mayRead ? " could not read " : " read ") + topic);
                    }
                }
            }
        }
        assertEquals(List.of(), wrong);
        // The cells above are the description's: make sure it is the one the issue asks for.
        assertEquals(9, access.principals().size(), access.principals().toString());
        assertEquals(14, access.topics().size(), access.topics().toString());
    }

    @Test
    void aClbReadingAnotherClbsTopicIsRefusedByTheBroker() {
        try (KafkaConsumer<String, String> gent = consumer(as("clb-gent"), null)) {
            assertTrue(canRead(gent, "ntk.referrals.clb-gent.v1"));
            assertThrows(TopicAuthorizationException.class, () -> gent.partitionsFor("ntk.referrals.clb-brugge.v1"));
            assertThrows(TopicAuthorizationException.class, () -> gent.partitionsFor("ntk.referrals.care-jongerenhulp.v1"));
        }
    }

    @Test
    void onlyAuditServiceReadsTheAuditTrail() {
        Set<String> readers = new TreeSet<>();
        for (String principal : access.principals()) {
            try (KafkaConsumer<String, String> consumer = consumer(as(principal), null)) {
                if (canRead(consumer, "ntk.audit.v1")) {
                    readers.add(principal);
                }
            }
        }
        assertEquals(Set.of("audit-service"), readers);
    }

    @Test
    void aServiceWritingATopicItDoesNotOwnIsRefused() {
        try (KafkaProducer<String, String> caseService = producer(as("case-service"))) {
            assertTrue(canWrite(caseService, "ntk.audit.v1"));
            ExecutionException refused = assertThrows(ExecutionException.class, () -> caseService
                    .send(new ProducerRecord<>("ntk.referrals.clb-gent.v1", "k", "forged referral")).get(10, TimeUnit.SECONDS));
            assertTrue(refused.getCause() instanceof TopicAuthorizationException, refused.toString());
        }
        try (KafkaProducer<String, String> referralService = producer(as("referral-service"))) {
            assertTrue(canWrite(referralService, "ntk.referrals.clb-gent.v1"));
            assertTrue(!canWrite(referralService, "ntk.audit.v1.dlq"), "referral-service wrote audit-service's dead letters");
        }
    }

    @Test
    void aRecipientUsesOnlyConsumerGroupsUnderItsOwnPrefix() {
        TopicPartition gentTopic = new TopicPartition("ntk.referrals.clb-gent.v1", 0);
        assertTrue(canCommit("clb-gent", "clb-gent.reference-subscriber", gentTopic));
        assertTrue(!canCommit("clb-gent", "clb-brugge.reference-subscriber", gentTopic), "clb-gent used clb-brugge's group");
        assertTrue(!canCommit("clb-gent", "audit-service", gentTopic), "clb-gent used audit-service's group");
        assertTrue(!canCommit("clb-gent", "clb-gent-and-more", gentTopic), "a group outside the prefix 'clb-gent.'");
        assertTrue(canCommit("audit-service", "audit-service", new TopicPartition("ntk.audit.v1", 0)));
    }

    @Test
    void aWrongPasswordAnUnknownPrincipalOrNoAuthenticationAreRefused() {
        Map<String, Object> wrongPassword = broker.clientConfig("clb-gent", "guessed");
        try (KafkaConsumer<String, String> consumer = consumer(wrongPassword, null)) {
            assertThrows(SaslAuthenticationException.class, () -> consumer.partitionsFor("ntk.referrals.clb-gent.v1"));
        }
        try (KafkaConsumer<String, String> consumer = consumer(broker.clientConfig("clb-nowhere", "any"), null)) {
            assertThrows(SaslAuthenticationException.class, () -> consumer.partitionsFor("ntk.referrals.clb-gent.v1"));
        }
        // The administrator's PLAIN login is not accepted on the clients' listener.
        Map<String, Object> adminOnClientPort = new HashMap<>(broker.adminConfig());
        adminOnClientPort.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaConsumer<String, String> consumer = consumer(adminOnClientPort, null)) {
            assertThrows(UnsupportedSaslMechanismException.class, () -> consumer.partitionsFor("ntk.audit.v1"));
        }
        // Without SASL the broker answers nothing at all.
        Map<String, Object> plaintext = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaConsumer<String, String> consumer = consumer(plaintext, null)) {
            assertThrows(org.apache.kafka.common.errors.TimeoutException.class,
                    () -> consumer.partitionsFor("ntk.audit.v1", Duration.ofSeconds(3)));
        }
    }

    @Test
    void theCommandsForAnAdministratorSayTheSameAsTheDescription() throws Exception {
        String all = access.commands(Set.of());
        for (KafkaAccess.Grant g : access.grants()) {
            String resource = (g.resource() == ResourceType.TOPIC ? " --topic " : " --group ") + g.name();
            assertTrue(all.contains("--allow-principal User:" + g.principal() + " --operation "
                    + (g.operation() == AclOperation.READ ? "Read" : "Write") + resource
                    + (g.pattern() == org.apache.kafka.common.resource.PatternType.PREFIXED ? " --resource-pattern-type prefixed\n" : "\n")),
                    "missing: " + g);
        }
        // docker-compose applies the committed script: it must be what the description makes today.
        assertEquals(all, Files.readString(REPOSITORY.resolve("deploy/kafka/demo-access.sh"), StandardCharsets.UTF_8),
                "deploy/kafka/demo-access.sh is stale: deploy/suite.sh kafka-access > deploy/kafka/demo-access.sh");
        String newRecipient = access.commands(Set.of("care-de-horizon"));
        assertTrue(newRecipient.contains("--create --if-not-exists --topic ntk.referrals.care-de-horizon.v1 "), newRecipient);
        assertTrue(!newRecipient.contains("clb-gent"), newRecipient);
        assertTrue(newRecipient.contains("${NTK_KAFKA_PASSWORD_CARE_DE_HORIZON:?"), newRecipient);
    }

    private boolean canWrite(KafkaProducer<String, String> producer, String topic) {
        try {
            producer.send(new ProducerRecord<>(topic, "k", "probe")).get(10, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthorizationException) {
                return false;
            }
            throw new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean canRead(KafkaConsumer<String, String> consumer, String topic) {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Instant deadline = Instant.now().plusSeconds(10);
            while (Instant.now().isBefore(deadline)) {
                if (!consumer.poll(Duration.ofMillis(200)).isEmpty()) {
                    return true;
                }
            }
            throw new IllegalStateException("Read nothing from " + topic + ", which holds a record");
        } catch (AuthorizationException e) {
            return false;
        } finally {
            consumer.unsubscribe();
        }
    }

    private boolean canCommit(String principal, String group, TopicPartition partition) {
        try (KafkaConsumer<String, String> consumer = consumer(as(principal), group)) {
            consumer.assign(List.of(partition));
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(0)));
            return true;
        } catch (GroupAuthorizationException e) {
            return false;
        }
    }

    private static KafkaProducer<String, String> producer(Map<String, Object> client) {
        Map<String, Object> props = new HashMap<>(client);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        // Not idempotent: a refused topic then fails that send only (TopicAuthorizationException).
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10000);
        return new KafkaProducer<>(props);
    }

    private static KafkaConsumer<String, String> consumer(Map<String, Object> client, String group) {
        Map<String, Object> props = new HashMap<>(client);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        if (group != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        }
        return new KafkaConsumer<>(props);
    }
}
