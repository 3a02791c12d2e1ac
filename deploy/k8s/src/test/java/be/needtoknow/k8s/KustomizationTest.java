package be.needtoknow.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import be.needtoknow.k8s.Manifests.Build;
import be.needtoknow.k8s.Manifests.Document;
import be.needtoknow.k8s.Manifests.Kustomization;

/**
 * The kustomizations of deploy/k8s as Kustomize would build them: every file they list exists and
 * every manifest file is listed; every document parses into its typed model with no field the model
 * does not know; the development overlay's copies are those of the repository; no Secret is in the
 * repository, and every Secret the manifests refer to is one the deployment creates.
 */
class KustomizationTest {

    @Test
    void everyListedFileExistsAndEveryFileIsListed() throws IOException {
        for (Path directory : List.of(Manifests.BASE, Manifests.DEVELOPMENT)) {
            Kustomization k = Manifests.kustomization(directory);
            Set<String> listed = new TreeSet<>();
            for (String entry : k.resources()) {
                Path path = directory.resolve(entry).normalize();
                assertTrue(Files.exists(path), directory + " lists " + entry + ", which does not exist");
                assertTrue(path.startsWith(Manifests.K8S), entry + " is outside deploy/k8s");
                if (!Files.isDirectory(path)) {
                    listed.add(entry);
                }
            }
            for (Manifests.Generator g : k.configMapGenerator()) {
                for (String file : g.files()) {
                    assertTrue(Files.exists(directory.resolve(file)), directory + ": the generator " + g.name() + " reads " + file
                            + ", which does not exist");
                    listed.add(file);
                }
            }
            Set<String> present = new TreeSet<>(Manifests.files(directory, p -> !p.getFileName().toString().equals("kustomization.yaml")).keySet());
            assertEquals(present, listed, directory + ": the files there and the files its kustomization.yaml lists");
            assertFalse(k.all().containsKey("secretGenerator"), "no Secret is generated from files of the repository");
        }
        assertEquals(List.of("../../base", "kafka-recipients.yaml", "realm-import.yaml"),
                Manifests.kustomization(Manifests.DEVELOPMENT).resources());
        assertEquals("need-to-know", Manifests.kustomization(Manifests.DEVELOPMENT).namespace());
    }

    @Test
    void everyDocumentParsesIntoItsTypedModelWithNoUnknownField() throws IOException {
        Build build = Manifests.build(Manifests.DEVELOPMENT);
        Set<String> kinds = new TreeSet<>();
        Set<String> names = new HashSet<>();
        List<String> wrong = new ArrayList<>();
        for (Document d : build.documents) {
            HasMetadata r = d.resource();
            kinds.add(r.getKind());
            if (!names.add(r.getKind() + "/" + d.name())) {
                wrong.add("two " + r.getKind() + " named " + d.name());
            }
            if (r instanceof GenericKubernetesResource) {
                String group = r.getApiVersion().substring(0, r.getApiVersion().indexOf('/'));
                if (!Manifests.GENERIC_GROUPS.contains(group)) {
                    wrong.add(d.file().getFileName() + ": " + r.getApiVersion() + " " + r.getKind() + " has no typed model here");
                }
            } else {
                Manifests.unknownFields(r).forEach(u -> wrong.add(d.file().getFileName() + ": unknown field " + u));
            }
        }
        assertEquals(List.of(), wrong);
        assertEquals(new TreeSet<>(Set.of("Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler", "NetworkPolicy",
                "Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser", "Cluster", "Database", "Keycloak", "KeycloakRealmImport")), kinds);
        // Strimzi 0.49's v1 API, one its model knows.
        for (Document d : build.documents) {
            if (d.resource().getApiVersion().startsWith("kafka.strimzi.io/")) {
                assertTrue(Manifests.STRIMZI.contains(d.resource().getClass()), d.name());
                assertTrue(versions(d.resource().getClass()).contains("v1"), d.resource().getKind() + ": " + versions(d.resource().getClass()));
            }
        }
        assertEquals(3, build.all(Deployment.class).size());
    }

    @SuppressWarnings("unchecked")
    private static List<String> versions(Class<?> strimzi) {
        try {
            return (List<String>) strimzi.getField("VERSIONS").get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The checks above would pass a document the model misread: they must see a typo. */
    @Test
    void aMisspelledFieldIsFound() throws IOException {
        Path dir = Files.createTempDirectory("ntk-k8s");
        try {
            Path file = dir.resolve("typo.yaml");
            Files.writeString(file, Files.readString(Manifests.BASE.resolve("case-service.yaml")).replace("readinessProbe:", "readynessProbe:")
                    + "---\n" + Files.readString(Manifests.BASE.resolve("kafka.yaml")).replace("authorization:", "authorisation:"));
            List<String> unknown = Manifests.parse(file).stream().flatMap(r -> Manifests.unknownFields(r).stream()).toList();
            assertTrue(unknown.stream().anyMatch(u -> u.contains("readynessProbe")), unknown.toString());
            assertTrue(unknown.stream().anyMatch(u -> u.contains("authorisation")), unknown.toString());
            assertTrue(unknown.stream().allMatch(u -> u.contains("readynessProbe") || u.contains("authorisation")), unknown.toString());
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theDevelopmentOverlaysCopiesAreTheRepositorysOwn() throws IOException {
        assertEquals(Files.readString(Manifests.REPOSITORY.resolve("deploy/demo/recipients.json"), StandardCharsets.UTF_8),
                Files.readString(Manifests.DEVELOPMENT.resolve("recipients.json"), StandardCharsets.UTF_8),
                "deploy/k8s/overlays/development/recipients.json is stale: cp deploy/demo/recipients.json deploy/k8s/overlays/development/");
        Build build = Manifests.build(Manifests.DEVELOPMENT);
        assertEquals(List.of("recipients.json"), build.configMapGenerators().stream()
                .filter(g -> g.name().equals("ntk-recipients")).findFirst().orElseThrow().files());
        GenericKubernetesResource realmImport = build.generic("KeycloakRealmImport", "need-to-know");
        Map<String, Object> realm = Manifests.field(realmImport, "spec", "realm");
        Map<String, Object> expected = Manifests.SERIALIZATION.unmarshal(
                Files.readString(Manifests.REPOSITORY.resolve("deploy/keycloak/realm.json"), StandardCharsets.UTF_8), Map.class);
        // The realm as it is, but the DPO console's client secret: Keycloak's placeholder for the
        // Secret that audit-service reads as well (its prod profile refuses the file's dev-only one).
        List<Map<String, Object>> clients = (List<Map<String, Object>>) expected.get("clients");
        Map<String, Object> console = clients.stream().filter(c -> "ntk-dpo-console".equals(c.get("clientId"))).findFirst().orElseThrow();
        assertTrue(String.valueOf(console.get("secret")).startsWith("dev-only-"));
        console.put("secret", "${NTK_DPO_CONSOLE_SECRET}");
        assertEquals(expected, realm, "deploy/k8s/overlays/development/realm-import.yaml is stale: deploy/k8s/realm-import.sh "
                + "deploy/keycloak/realm.json > deploy/k8s/overlays/development/realm-import.yaml");
        assertEquals(Map.of("secret", Map.of("name", "ntk-dpo-console", "key", "client-secret")),
                Manifests.field(realmImport, "spec", "placeholders", "NTK_DPO_CONSOLE_SECRET"));
        assertEquals(1, ((Map<?, ?>) Manifests.field(realmImport, "spec", "placeholders")).size());
        assertEquals("keycloak", Manifests.field(realmImport, "spec", "keycloakCRName"));
        assertEquals("keycloak", build.generic("Keycloak").get(0).getMetadata().getName());
        // Only the development overlay has the development realm, with its demo users.
        assertTrue(Manifests.build(Manifests.BASE).generic("KeycloakRealmImport").isEmpty(), "the base imports no realm");
    }

    /** Secrets are referred to, never committed: none in the manifests, none anywhere in the repository. */
    @Test
    void noSecretIsInTheRepository() throws IOException {
        Build build = Manifests.build(Manifests.DEVELOPMENT);
        assertEquals(List.of(), build.all(Secret.class));
        List<String> committed = new ArrayList<>();
        Files.walkFileTree(Manifests.REPOSITORY, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                return IGNORED.contains(dir.getFileName().toString()) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                String name = file.getFileName().toString();
                if ((name.endsWith(".yaml") || name.endsWith(".yml"))
                        && Files.readString(file).lines().anyMatch(l -> l.strip().equals("kind: Secret"))) {
                    committed.add(Manifests.REPOSITORY.relativize(file).toString());
                }
                return FileVisitResult.CONTINUE;
            }
        });
        assertEquals(List.of(), committed);
        // Each Secret a manifest names is one the deployment creates (docs/operations.md, "On Kubernetes") or
        // Strimzi's User Operator makes for a KafkaUser (the service's Kafka password).
        assertEquals(Secrets.TO_CREATE, Secrets.referencedByHand(build));
    }

    /** deploy/k8s/create-secrets.sh creates exactly the Secrets the manifests refer to, with their keys. */
    @Test
    void theSecretsScriptCreatesEachSecretTheManifestsNeed() throws IOException {
        String script = Files.readString(Manifests.K8S.resolve("create-secrets.sh"));
        Set<String> created = new TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^\\s*secret \"?([a-z${}_-]+)\"?((?: \"?[a-z-]+=[^\\s\"]*\"?)+)")
                .matcher(script.replace("\\\n", ""));
        while (m.find()) {
            java.util.regex.Matcher keys = java.util.regex.Pattern.compile("\"?([a-z-]+)=").matcher(m.group(2));
            List<String> names = new ArrayList<>();
            while (keys.find()) {
                names.add(keys.group(1));
            }
            for (String service : m.group(1).contains("$service") ? List.of("case", "referral", "audit") : List.of("")) {
                created.add(m.group(1).replace("$service", service) + " " + new TreeSet<>(names));
            }
        }
        Set<String> needed = new TreeSet<>();
        Secrets.TO_CREATE.forEach((name, keys) -> needed.add(name + " " + new TreeSet<>(keys)));
        assertEquals(needed, created);
    }

    /** Build output, dependencies, the embedded stack's state: not the repository's files. */
    private static final Set<String> IGNORED = Set.of("target", ".git", "node_modules", ".ntk");
}
