package be.needtoknow.k8s;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.strimzi.api.kafka.model.user.KafkaUser;

/**
 * The Secrets of a deployment: none is in the repository. Those below the operator of a deployment
 * creates (docs/operations.md, "On Kubernetes" gives the commands); the Kafka passwords are made by Strimzi's
 * User Operator, one Secret per KafkaUser, of the user's name.
 */
final class Secrets {

    /** Each Secret to create, with its keys. */
    static final Map<String, Set<String>> TO_CREATE = new TreeMap<>(Map.ofEntries(
            Map.entry("ntk-case-db-owner", Set.of("username", "password")),
            Map.entry("ntk-case-db-app", Set.of("username", "password")),
            Map.entry("ntk-referral-db-owner", Set.of("username", "password")),
            Map.entry("ntk-referral-db-app", Set.of("username", "password")),
            Map.entry("ntk-audit-db-owner", Set.of("username", "password")),
            Map.entry("ntk-audit-db-app", Set.of("username", "password")),
            Map.entry("ntk-keycloak-db", Set.of("username", "password")),
            Map.entry("ntk-pseudonym", Set.of("key")),
            Map.entry("ntk-referral-grant", Set.of("key")),
            Map.entry("ntk-audit-checkpoint", Set.of("signing-key")),
            Map.entry("ntk-dpo-console", Set.of("client-secret", "state-secret"))));

    private Secrets() {
    }

    /** Every Secret the manifests refer to, with the keys they read, but those Strimzi makes. */
    static Map<String, Set<String>> referencedByHand(Manifests.Build build) {
        Set<String> strimzi = new TreeSet<>(build.all(KafkaUser.class).stream().map(u -> u.getMetadata().getName()).toList());
        Map<String, Set<String>> referenced = new TreeMap<>();
        for (Deployment d : build.all(Deployment.class)) {
            for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
                for (EnvVar e : c.getEnv()) {
                    if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
                        add(referenced, e.getValueFrom().getSecretKeyRef().getName(), e.getValueFrom().getSecretKeyRef().getKey());
                    }
                }
            }
        }
        for (GenericKubernetesResource cluster : build.generic("Cluster")) {
            List<Map<String, Object>> roles = Manifests.field(cluster, "spec", "managed", "roles");
            for (Map<String, Object> role : roles) {
                @SuppressWarnings("unchecked")
                Map<String, Object> secret = (Map<String, Object>) role.get("passwordSecret");
                // CloudNativePG reads a role's password from a basic-auth Secret: username and password.
                add(referenced, (String) secret.get("name"), "username", "password");
            }
            String bootstrap = Manifests.field(cluster, "spec", "bootstrap", "initdb", "secret", "name");
            add(referenced, bootstrap, "username", "password");
        }
        for (GenericKubernetesResource keycloak : build.generic("Keycloak")) {
            for (String secret : List.of("usernameSecret", "passwordSecret")) {
                String name = Manifests.field(keycloak, "spec", "db", secret, "name");
                String key = Manifests.field(keycloak, "spec", "db", secret, "key");
                add(referenced, name, key);
            }
        }
        for (GenericKubernetesResource realmImport : build.generic("KeycloakRealmImport")) {
            Map<String, Map<String, Map<String, String>>> placeholders = Manifests.field(realmImport, "spec", "placeholders");
            for (Map<String, Map<String, String>> placeholder : placeholders == null ? List.<Map<String, Map<String, String>>>of() : placeholders.values()) {
                add(referenced, placeholder.get("secret").get("name"), placeholder.get("secret").get("key"));
            }
        }
        referenced.keySet().removeAll(strimzi);
        return referenced;
    }

    private static void add(Map<String, Set<String>> referenced, String name, String... keys) {
        referenced.computeIfAbsent(name, n -> new TreeSet<>()).addAll(List.of(keys));
    }
}
