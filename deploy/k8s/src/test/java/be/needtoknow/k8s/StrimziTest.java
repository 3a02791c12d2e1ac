package be.needtoknow.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.KafkaAuthorizationSimple;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.kafka.listener.KafkaListenerAuthenticationScramSha512;
import io.strimzi.api.kafka.model.kafka.listener.KafkaListenerType;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;

import be.needtoknow.stack.KafkaAccess;
import be.needtoknow.stack.StrimziAccess;

/**
 * The broker on Kubernetes (Strimzi) is the broker of the embedded stack and docker-compose: KRaft,
 * SCRAM-SHA-512 on every listener, simple authorization with nothing allowed that no ACL allows;
 * and its KafkaTopics, KafkaUsers and their ACLs, read with Strimzi's model, are exactly
 * deploy/kafka/access.json with the recipient directory (N2) — the same description that
 * KafkaAccessTest applies to a real broker.
 */
class StrimziTest {

    private static Manifests.Build build;

    @BeforeAll
    static void load() throws IOException {
        build = Manifests.build(Manifests.DEVELOPMENT);
    }

    @Test
    void theBrokerAuthenticatesEveryoneAndAllowsOnlyWhatAnAclAllows() {
        Kafka kafka = build.named(Kafka.class, StrimziAccess.CLUSTER);
        assertTrue(kafka.getSpec().getKafka().getAuthorization() instanceof KafkaAuthorizationSimple);
        assertEquals(false, kafka.getSpec().getKafka().getConfig().get("allow.everyone.if.no.acl.found"));
        assertEquals(false, kafka.getSpec().getKafka().getConfig().get("auto.create.topics.enable"));
        List<GenericKafkaListener> listeners = kafka.getSpec().getKafka().getListeners();
        assertEquals(List.of("internal", "external"), listeners.stream().map(GenericKafkaListener::getName).toList());
        for (GenericKafkaListener l : listeners) {
            assertInstanceOf(KafkaListenerAuthenticationScramSha512.class, l.getAuth(), l.getName());
        }
        GenericKafkaListener internal = listeners.get(0);
        assertEquals(KafkaListenerType.INTERNAL, internal.getType());
        assertEquals(9092, internal.getPort());
        GenericKafkaListener external = listeners.get(1);
        assertEquals(true, external.isTls(), "the recipients' systems reach the broker over TLS only");
        assertEquals(KafkaListenerType.LOADBALANCER, external.getType());
        assertNull(external.getNetworkPolicyPeers(), "any recipient's system may connect; its ACLs say what it may read");
        assertNull(kafka.getStatus());

        // KRaft: the node pool's nodes are the controllers and the brokers (no ZooKeeper in Strimzi 0.49).
        List<KafkaNodePool> pools = build.all(KafkaNodePool.class);
        assertEquals(1, pools.size());
        KafkaNodePool pool = pools.get(0);
        assertEquals(StrimziAccess.CLUSTER, pool.getMetadata().getLabels().get("strimzi.io/cluster"));
        assertEquals(Set.of(ProcessRoles.CONTROLLER, ProcessRoles.BROKER), Set.copyOf(pool.getSpec().getRoles()));
        int brokers = pool.getSpec().getReplicas();
        assertTrue(brokers >= 3, "three brokers, so that min.insync.replicas=2 survives one");
        for (KafkaTopic topic : build.all(KafkaTopic.class)) {
            assertTrue(topic.getSpec().getReplicas() <= brokers, topic.getMetadata().getName());
        }
    }

    /** The grants of the KafkaUsers, as KafkaAccess's grants. */
    @Test
    void theTopicsUsersAndAclsAreExactlyTheAccessDescription() throws IOException {
        KafkaAccess access = KafkaAccess.ofRepository(Manifests.REPOSITORY);
        assertEquals(new TreeSet<>(access.topics()),
                new TreeSet<>(build.all(KafkaTopic.class).stream().map(t -> topicName(t)).toList()));
        assertEquals(new TreeSet<>(access.principals()),
                new TreeSet<>(build.all(KafkaUser.class).stream().map(u -> u.getMetadata().getName()).toList()));
        Set<String> fromManifests = new TreeSet<>();
        for (KafkaUser user : build.all(KafkaUser.class)) {
            assertEquals(StrimziAccess.CLUSTER, user.getMetadata().getLabels().get("strimzi.io/cluster"), user.getMetadata().getName());
            assertInstanceOf(KafkaUserScramSha512ClientAuthentication.class, user.getSpec().getAuthentication());
            KafkaUserAuthorizationSimple authorization = (KafkaUserAuthorizationSimple) user.getSpec().getAuthorization();
            for (AclRule rule : authorization.getAcls()) {
                assertEquals(1, rule.getOperations().size(), "one operation per rule, as per grant");
                assertTrue(rule.getHost() == null || rule.getHost().equals("*"));
                String type;
                String name;
                AclResourcePatternType pattern;
                if (rule.getResource() instanceof AclRuleTopicResource t) {
                    type = "TOPIC";
                    name = t.getName();
                    pattern = t.getPatternType();
                } else if (rule.getResource() instanceof AclRuleGroupResource g) {
                    type = "GROUP";
                    name = g.getName();
                    pattern = g.getPatternType();
                } else {
                    throw new AssertionError("an ACL on " + rule.getResource() + " is not in the description");
                }
                fromManifests.add(grant(user.getMetadata().getName(), type, name,
                        pattern == AclResourcePatternType.PREFIX ? "PREFIXED" : "LITERAL",
                        rule.getOperations().get(0).name()));
            }
        }
        Set<String> fromDescription = new TreeSet<>();
        for (KafkaAccess.Grant g : access.grants()) {
            fromDescription.add(grant(g.principal(), g.resource() == ResourceType.TOPIC ? "TOPIC" : "GROUP", g.name(),
                    g.pattern() == PatternType.PREFIXED ? "PREFIXED" : "LITERAL", g.operation() == AclOperation.READ ? "READ" : "WRITE"));
        }
        assertEquals(fromDescription, fromManifests);
        for (KafkaTopic topic : build.all(KafkaTopic.class)) {
            assertEquals(StrimziAccess.CLUSTER, topic.getMetadata().getLabels().get("strimzi.io/cluster"), topic.getMetadata().getName());
        }
        // The numbers (KafkaAccessTest): nine principals, fourteen topics.
        assertEquals(9, build.all(KafkaUser.class).size());
        assertEquals(14, build.all(KafkaTopic.class).size());
    }

    /** The base is the same for every deployment: no recipient of the demo directory in it. */
    @Test
    void theBaseHoldsOnlyTheServicesPrincipals() throws IOException {
        Manifests.Build base = Manifests.build(Manifests.BASE);
        assertEquals(List.of("case-service", "referral-service", "audit-service"),
                base.all(KafkaUser.class).stream().map(u -> u.getMetadata().getName()).toList());
        assertEquals(List.of("ntk.audit.v1", "ntk.audit.v1.dlq"), base.all(KafkaTopic.class).stream().map(StrimziTest::topicName).toList());
    }

    private static String topicName(KafkaTopic topic) {
        return topic.getSpec().getTopicName() != null ? topic.getSpec().getTopicName() : topic.getMetadata().getName();
    }

    private static String grant(String principal, String type, String name, String pattern, String operation) {
        return String.join(" ", principal, type, name, pattern, operation.toUpperCase(java.util.Locale.ROOT));
    }
}
