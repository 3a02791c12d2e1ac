package be.needtoknow.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;

/**
 * The NetworkPolicies allow exactly the flows of the architecture (README "What runs"), no more: the
 * policies are evaluated as Kubernetes evaluates them (a pod selected by a policy of a direction is
 * closed in that direction but for what one of them allows; the two ends must both allow) for every
 * party, every other party and every port it listens on, and the allowed flows must be the table.
 *
 * The broker's pods are governed by the policy Strimzi makes from the Kafka resource's listeners
 * (each listener's port, from its networkPolicyPeers, or from anyone without them); that policy is
 * modelled here from kafka.yaml. Strimzi's own ports between its pods (9090, 9091) are Strimzi's and
 * not in the table.
 */
class NetworkPoliciesTest {

    private static final String NAMESPACE = "need-to-know";

    /** A pod (or a source outside the cluster) and the ports it listens on ("8081", "53/UDP"). */
    record Party(String name, String namespace, Map<String, String> labels, List<String> ports) {
        boolean outsideTheCluster() {
            return namespace == null;
        }
    }

    private static final List<Party> PARTIES = List.of(
            new Party("case-service", NAMESPACE, Map.of("app.kubernetes.io/name", "case-service", "app.kubernetes.io/part-of", "need-to-know"),
                    List.of("8081")),
            new Party("referral-service", NAMESPACE,
                    Map.of("app.kubernetes.io/name", "referral-service", "app.kubernetes.io/part-of", "need-to-know"), List.of("8082")),
            new Party("audit-service", NAMESPACE, Map.of("app.kubernetes.io/name", "audit-service", "app.kubernetes.io/part-of", "need-to-know"),
                    List.of("8083")),
            // The labels the Keycloak operator gives its pods.
            new Party("keycloak", NAMESPACE, Map.of("app", "keycloak", "app.kubernetes.io/instance", "keycloak",
                    "app.kubernetes.io/managed-by", "keycloak-operator"), List.of("8080", "7800", "57800", "9000")),
            // CloudNativePG's.
            new Party("postgres", NAMESPACE, Map.of("cnpg.io/cluster", "ntk-postgres", "cnpg.io/instanceRole", "primary",
                    "app.kubernetes.io/name", "postgresql"), List.of("5432", "8000")),
            // Strimzi's, for a broker of the node pool.
            new Party("kafka", NAMESPACE, Map.of("strimzi.io/cluster", "ntk-kafka", "strimzi.io/kind", "Kafka",
                    "strimzi.io/name", "ntk-kafka-kafka", "app.kubernetes.io/name", "kafka"), List.of("9092", "9094")),
            new Party("ingress-controller", "ingress-nginx", Map.of("app.kubernetes.io/name", "ingress-nginx"), List.of()),
            new Party("cnpg-operator", "cnpg-system", Map.of("app.kubernetes.io/name", "cloudnative-pg"), List.of()),
            new Party("kube-dns", "kube-system", Map.of("k8s-app", "kube-dns"), List.of("53/UDP", "53/TCP")),
            new Party("other-namespace-pod", "elsewhere", Map.of("app", "anything"), List.of("8080")),
            // A recipient's system (a CLB's), anyone on the internet, or the site's SMTP relay (587).
            new Party("outside", null, Map.of(), List.of("443", "587")));

    /**
     * Every flow allowed to a pod of the suite's namespace: source -> target:port. Anything else is
     * refused (default deny), e.g. a recipient straight to a service, a service to another's port or to PostgreSQL's status port.
     */
    private static final Set<String> ALLOWED = new TreeSet<>(List.of(
            // The site's ingress controller: the three APIs (staff, the school platform, the DPO,
            // and the recipients' systems on referral-service's API) and Keycloak's login and tokens.
            "ingress-controller -> case-service:8081",
            "ingress-controller -> referral-service:8082",
            "ingress-controller -> audit-service:8083",
            "ingress-controller -> keycloak:8080",
            // Between the services: referral-service's CaseServiceClient, audit-service's DirectoryClients.
            "referral-service -> case-service:8081",
            "audit-service -> case-service:8081",
            "audit-service -> referral-service:8082",
            // case-service's ReferralRecords: the referrals in the family's access package (T4).
            "case-service -> referral-service:8082",
            // Each service: its database, the broker's internal listener, the realm's keys.
            "case-service -> postgres:5432", "case-service -> kafka:9092", "case-service -> keycloak:8080",
            "referral-service -> postgres:5432", "referral-service -> kafka:9092", "referral-service -> keycloak:8080",
            "audit-service -> postgres:5432", "audit-service -> kafka:9092", "audit-service -> keycloak:8080",
            // The infrastructure among itself and its operators.
            "keycloak -> postgres:5432",
            "postgres -> postgres:5432",
            "cnpg-operator -> postgres:5432", "cnpg-operator -> postgres:8000",
            "keycloak -> keycloak:7800", "keycloak -> keycloak:57800",
            // The external listener (TLS, SCRAM-SHA-512, each principal its own ACLs): the recipients'
            // systems, wherever they are. Only the services' egress is closed, so not from them.
            "outside -> kafka:9094", "other-namespace-pod -> kafka:9094", "ingress-controller -> kafka:9094",
            "cnpg-operator -> kafka:9094", "kube-dns -> kafka:9094", "keycloak -> kafka:9094", "postgres -> kafka:9094", "kafka -> kafka:9094"));

    private static List<NetworkPolicy> policies;

    @BeforeAll
    static void load() throws IOException {
        Manifests.Build build = Manifests.build(Manifests.DEVELOPMENT);
        policies = new ArrayList<>(build.all(NetworkPolicy.class));
        for (NetworkPolicy p : policies) {
            p.getMetadata().setNamespace(NAMESPACE);
        }
        policies.add(strimziPolicy(build.named(Kafka.class, "ntk-kafka")));
    }

    /** The policy Strimzi makes for the brokers: each listener's port, from its peers (anyone without). */
    private static NetworkPolicy strimziPolicy(Kafka kafka) {
        NetworkPolicy p = new NetworkPolicy();
        p.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("strimzi").withNamespace(NAMESPACE).build());
        p.setSpec(new io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec());
        p.getSpec().setPodSelector(new io.fabric8.kubernetes.api.model.LabelSelectorBuilder().withMatchLabels(Map.of("strimzi.io/cluster", kafka.getMetadata().getName(), "strimzi.io/kind", "Kafka")).build());
        p.getSpec().setPolicyTypes(List.of("Ingress"));
        List<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule> rules = new ArrayList<>();
        for (GenericKafkaListener l : kafka.getSpec().getKafka().getListeners()) {
            var rule = new io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule();
            rule.setPorts(List.of(new io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder().withPort(new io.fabric8.kubernetes.api.model.IntOrString(l.getPort())).withProtocol("TCP").build()));
            rule.setFrom(l.getNetworkPolicyPeers() == null ? List.of() : l.getNetworkPolicyPeers());
            rules.add(rule);
        }
        p.getSpec().setIngress(rules);
        return p;
    }

    @Test
    void thePoliciesAllowExactlyTheFlowsOfTheArchitecture() {
        Set<String> allowed = new TreeSet<>();
        for (Party source : PARTIES) {
            for (Party target : PARTIES) {
                if (!NAMESPACE.equals(target.namespace())) {
                    continue;
                }
                for (String port : target.ports()) {
                    if (allows(source, target, port)) {
                        allowed.add(source.name() + " -> " + target.name() + ":" + port);
                    }
                }
            }
        }
        assertEquals(ALLOWED, allowed);
    }

    /**
     * The services' egress: outside their namespace, only DNS (no call to anywhere else on the
     * internet), and for case-service the SMTP relay's submission port: the family's links go by
     * e-mail (X, T4).
     */
    @Test
    void theServicesReachNothingOutsideTheNamespaceButDns() {
        Set<String> reached = new TreeSet<>();
        for (Party source : PARTIES.subList(0, 3)) {
            for (Party target : PARTIES) {
                if (NAMESPACE.equals(target.namespace())) {
                    continue;
                }
                for (String port : target.ports()) {
                    if (egressAllows(source, target, port)) {
                        reached.add(source.name() + " -> " + target.name() + ":" + port);
                    }
                }
            }
        }
        assertEquals(Set.of("case-service -> kube-dns:53/UDP", "case-service -> kube-dns:53/TCP",
                "case-service -> outside:587",
                "referral-service -> kube-dns:53/UDP", "referral-service -> kube-dns:53/TCP",
                "audit-service -> kube-dns:53/UDP", "audit-service -> kube-dns:53/TCP"), reached);
    }

    /** The model's parties are the pods the manifests make: their labels and ports. */
    @Test
    void thePartiesAreThePodsOfTheManifests() throws IOException {
        Manifests.Build build = Manifests.build(Manifests.DEVELOPMENT);
        for (Party p : PARTIES.subList(0, 3)) {
            Deployment d = build.named(Deployment.class, p.name());
            assertEquals(p.labels(), d.getSpec().getTemplate().getMetadata().getLabels());
            assertEquals(p.ports(), List.of(String.valueOf(d.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().get(0).getContainerPort())));
        }
        assertEquals("keycloak", build.generic("Keycloak").get(0).getMetadata().getName());
        assertEquals(Integer.valueOf(8080), Manifests.field(build.generic("Keycloak").get(0), "spec", "http", "httpPort"));
        assertEquals(false, Manifests.field(build.generic("Keycloak").get(0), "spec", "networkPolicy", "enabled"),
                "the Keycloak operator's own policy, which admits anyone to 8080, is off");
        assertEquals("ntk-postgres", build.generic("Cluster").get(0).getMetadata().getName());
        assertEquals(List.of(9092, 9094), build.named(Kafka.class, "ntk-kafka").getSpec().getKafka().getListeners().stream()
                .map(GenericKafkaListener::getPort).toList());
        for (NetworkPolicy p : build.all(NetworkPolicy.class)) {
            for (var rule : p.getSpec().getIngress()) {
                rule.getFrom().forEach(peer -> assertNull(peer.getIpBlock(), p.getMetadata().getName() + ": ipBlock is not modelled"));
                rule.getPorts().forEach(port -> assertTrue(port.getPort().getIntVal() != null, "numbered ports only"));
            }
            for (var rule : p.getSpec().getEgress()) {
                rule.getTo().forEach(peer -> assertNull(peer.getIpBlock(), p.getMetadata().getName() + ": ipBlock is not modelled"));
                rule.getPorts().forEach(port -> assertTrue(port.getPort().getIntVal() != null, "numbered ports only"));
            }
        }
    }

    private static boolean allows(Party source, Party target, String port) {
        return ingressAllows(source, target, port) && egressAllows(source, target, port);
    }

    private static boolean ingressAllows(Party source, Party target, String port) {
        List<NetworkPolicy> selecting = policies.stream().filter(p -> selects(p, target) && types(p).contains("Ingress")).toList();
        if (selecting.isEmpty()) {
            return true;
        }
        return selecting.stream().flatMap(p -> p.getSpec().getIngress().stream()
                .map(rule -> matches(rule.getPorts(), port) && peersMatch(rule.getFrom(), p, source))).anyMatch(b -> b);
    }

    private static boolean egressAllows(Party source, Party target, String port) {
        if (source.outsideTheCluster()) {
            return true;
        }
        List<NetworkPolicy> selecting = policies.stream().filter(p -> selects(p, source) && types(p).contains("Egress")).toList();
        if (selecting.isEmpty()) {
            return true;
        }
        return selecting.stream().flatMap(p -> p.getSpec().getEgress().stream()
                .map(rule -> matches(rule.getPorts(), port) && peersMatch(rule.getTo(), p, target))).anyMatch(b -> b);
    }

    /** policyTypes, or Kubernetes' default: Ingress, and Egress when there are egress rules. */
    private static List<String> types(NetworkPolicy p) {
        if (p.getSpec().getPolicyTypes() != null && !p.getSpec().getPolicyTypes().isEmpty()) {
            return p.getSpec().getPolicyTypes();
        }
        return p.getSpec().getEgress().isEmpty() ? List.of("Ingress") : List.of("Ingress", "Egress");
    }

    private static boolean selects(NetworkPolicy p, Party party) {
        return p.getMetadata().getNamespace().equals(party.namespace()) && matches(p.getSpec().getPodSelector(), party.labels());
    }

    private static boolean matches(List<NetworkPolicyPort> ports, String port) {
        if (ports == null || ports.isEmpty()) {
            return true;
        }
        int number = Integer.parseInt(port.contains("/") ? port.substring(0, port.indexOf('/')) : port);
        String protocol = port.contains("/") ? port.substring(port.indexOf('/') + 1) : "TCP";
        return ports.stream().anyMatch(p -> p.getPort().getIntVal() == number
                && (p.getProtocol() == null ? "TCP" : p.getProtocol()).equals(protocol));
    }

    private static boolean peersMatch(List<NetworkPolicyPeer> peers, NetworkPolicy p, Party party) {
        if (peers == null || peers.isEmpty()) {
            return true;
        }
        if (party.outsideTheCluster()) {
            return false;
        }
        for (NetworkPolicyPeer peer : peers) {
            boolean namespace = peer.getNamespaceSelector() == null ? party.namespace().equals(p.getMetadata().getNamespace())
                    : matches(peer.getNamespaceSelector(), Map.of("kubernetes.io/metadata.name", party.namespace()));
            boolean pod = peer.getPodSelector() == null || matches(peer.getPodSelector(), party.labels());
            if (namespace && pod) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return true;
        }
        if (selector.getMatchLabels() != null) {
            for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
                if (!e.getValue().equals(labels.get(e.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                String value = labels.get(r.getKey());
                boolean ok = switch (r.getOperator()) {
                    case "In" -> value != null && r.getValues().contains(value);
                    case "NotIn" -> value == null || !r.getValues().contains(value);
                    case "Exists" -> value != null;
                    case "DoesNotExist" -> value == null;
                    default -> throw new AssertionError("unknown operator " + r.getOperator());
                };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }
}
