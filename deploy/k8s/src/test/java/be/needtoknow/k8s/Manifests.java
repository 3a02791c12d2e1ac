package be.needtoknow.k8s;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;

/**
 * The manifests of deploy/k8s as Kustomize builds them, without Kustomize and without a cluster: a
 * kustomization's resources (files and bases, recursively) and generators, each document parsed
 * into its typed model — fabric8's for the core kinds, Strimzi's own for Kafka, KafkaNodePool,
 * KafkaTopic and KafkaUser — and the CloudNativePG and Keycloak resources as generic ones (their
 * operators publish no Java model), whose fields the tests check one by one.
 */
final class Manifests {

    static final Path REPOSITORY = Path.of(System.getProperty("ntk.repository", "../..")).toAbsolutePath().normalize();
    static final Path K8S = REPOSITORY.resolve("deploy/k8s");
    static final Path BASE = K8S.resolve("base");
    static final Path DEVELOPMENT = K8S.resolve("overlays/development");

    /** The API groups whose resources stay generic: no typed model of them is published. */
    static final List<String> GENERIC_GROUPS = List.of("postgresql.cnpg.io", "k8s.keycloak.org");

    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    static final String STRIMZI_API_VERSION = "kafka.strimzi.io/v1";
    static final List<Class<? extends HasMetadata>> STRIMZI = List.of(Kafka.class, KafkaNodePool.class, KafkaTopic.class, KafkaUser.class);

    static {
        // Strimzi 0.49's v1 API (its model's classes are still annotated with v1beta2, which the
        // CRDs serve as well until Strimzi 0.52, deprecated).
        for (Class<? extends HasMetadata> strimzi : STRIMZI) {
            SERIALIZATION.registerKubernetesResource(STRIMZI_API_VERSION, strimzi.getSimpleName(), strimzi);
        }
    }

    /** One document of one file. */
    record Document(Path file, HasMetadata resource) {
        String kind() {
            return resource.getKind();
        }

        String name() {
            return resource.getMetadata().getName();
        }
    }

    /** A kustomization's own fields (what this repository uses of Kustomize). */
    record Kustomization(Path directory, List<String> resources, String namespace, List<Generator> configMapGenerator,
            Map<String, Object> all) {
    }

    record Generator(String name, List<String> files) {
    }

    /** The documents of a kustomization, its bases' first, in the order Kustomize lists them. */
    static final class Build {
        final List<Document> documents = new ArrayList<>();
        final List<Kustomization> kustomizations = new ArrayList<>();

        <T extends HasMetadata> List<T> all(Class<T> type) {
            return documents.stream().map(Document::resource).filter(type::isInstance).map(type::cast).toList();
        }

        <T extends HasMetadata> T named(Class<T> type, String name) {
            List<T> found = all(type).stream().filter(r -> r.getMetadata().getName().equals(name)).toList();
            if (found.size() != 1) {
                throw new AssertionError("expected one " + type.getSimpleName() + " " + name + ", found " + found.size());
            }
            return found.get(0);
        }

        List<GenericKubernetesResource> generic(String kind) {
            return all(GenericKubernetesResource.class).stream().filter(r -> r.getKind().equals(kind)).toList();
        }

        GenericKubernetesResource generic(String kind, String name) {
            List<GenericKubernetesResource> found = generic(kind).stream()
                    .filter(r -> r.getMetadata().getName().equals(name)).toList();
            if (found.size() != 1) {
                throw new AssertionError("expected one " + kind + " " + name + ", found " + found.size());
            }
            return found.get(0);
        }

        List<Generator> configMapGenerators() {
            return kustomizations.stream().flatMap(k -> k.configMapGenerator().stream()).toList();
        }
    }

    private Manifests() {
    }

    static Build build(Path directory) throws IOException {
        Build build = new Build();
        add(build, directory);
        return build;
    }

    private static void add(Build build, Path directory) throws IOException {
        Kustomization k = kustomization(directory);
        build.kustomizations.add(k);
        for (String entry : k.resources()) {
            Path path = directory.resolve(entry).normalize();
            if (Files.isDirectory(path)) {
                add(build, path);
            } else {
                for (HasMetadata resource : parse(path)) {
                    build.documents.add(new Document(path, resource));
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    static Kustomization kustomization(Path directory) throws IOException {
        Path file = directory.resolve("kustomization.yaml");
        Map<String, Object> all = SERIALIZATION.unmarshal(Files.readString(file, StandardCharsets.UTF_8), Map.class);
        List<String> resources = (List<String>) all.getOrDefault("resources", List.of());
        List<Generator> generators = new ArrayList<>();
        for (Map<String, Object> g : (List<Map<String, Object>>) all.getOrDefault("configMapGenerator", List.of())) {
            generators.add(new Generator((String) g.get("name"), (List<String>) g.getOrDefault("files", List.of())));
        }
        return new Kustomization(directory, resources, (String) all.get("namespace"), generators, all);
    }

    /** Every document of a file, typed; a document that is no resource, or not of its kind's model, fails. */
    @SuppressWarnings("unchecked")
    static List<HasMetadata> parse(Path file) throws IOException {
        List<HasMetadata> resources = new ArrayList<>();
        for (String document : Files.readString(file, StandardCharsets.UTF_8).split("(?m)^---\\s*$")) {
            if (document.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
                continue;
            }
            Map<String, Object> raw = SERIALIZATION.unmarshal(document, Map.class);
            Object parsed = SERIALIZATION.unmarshal(document);
            if (!(parsed instanceof HasMetadata resource)) {
                throw new AssertionError(file + ": a document that is no Kubernetes resource: " + raw.get("kind"));
            }
            // Strimzi's model answers the version its classes are annotated with, whatever the document's.
            boolean strimzi = STRIMZI.contains(resource.getClass()) && STRIMZI_API_VERSION.equals(raw.get("apiVersion"));
            if (!(strimzi || Objects.equals(raw.get("apiVersion"), resource.getApiVersion())) || !Objects.equals(raw.get("kind"), resource.getKind())) {
                throw new AssertionError(file + ": " + raw.get("apiVersion") + " " + raw.get("kind") + " read as " + resource.getApiVersion()
                        + " " + resource.getKind());
            }
            resources.add(resource);
        }
        return resources;
    }

    /**
     * The fields that a typed model did not know (a typo, a field of another version): fabric8's and
     * Strimzi's models keep them aside (additionalProperties) instead of failing; here they fail.
     */
    static List<String> unknownFields(Object model) {
        List<String> unknown = new ArrayList<>();
        unknownFields(model, model.getClass().getSimpleName(), unknown, 0);
        return unknown;
    }

    private static void unknownFields(Object value, String path, List<String> unknown, int depth) {
        if (value == null || depth > 40) {
            return;
        }
        if (value instanceof Collection<?> c) {
            int i = 0;
            for (Object item : c) {
                unknownFields(item, path + "[" + i++ + "]", unknown, depth + 1);
            }
            return;
        }
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                unknownFields(e.getValue(), path + "." + e.getKey(), unknown, depth + 1);
            }
            return;
        }
        if (!isModel(value.getClass())) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getName().equals("getClass")
                    || !isModel(getter.getDeclaringClass())) {
                continue;
            }
            Object result;
            try {
                result = getter.invoke(value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (result instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(path + ": " + extra.keySet());
                }
                continue;
            }
            unknownFields(result, path + "." + property(getter.getName()), unknown, depth + 1);
        }
    }

    private static boolean isModel(Class<?> type) {
        String name = type.getName();
        return !type.isEnum() && (name.startsWith("io.fabric8.kubernetes.api.model.") || name.startsWith("io.strimzi.api."))
                && !GenericKubernetesResource.class.isAssignableFrom(type);
    }

    private static String property(String getter) {
        return Character.toLowerCase(getter.charAt(3)) + getter.substring(4);
    }

    /** A generic resource's field by path ("spec", "db", "host"); null when absent. */
    @SuppressWarnings("unchecked")
    static <T> T field(GenericKubernetesResource resource, String... path) {
        Object value = resource.getAdditionalProperties();
        for (String step : path) {
            if (!(value instanceof Map<?, ?> map)) {
                return null;
            }
            value = map.get(step);
        }
        return (T) value;
    }

    /** The files of a directory (not its subdirectories), by name. */
    static Map<String, Path> files(Path directory, Predicate<Path> filter) throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        try (var list = Files.list(directory)) {
            list.filter(Files::isRegularFile).filter(filter).sorted().forEach(p -> files.put(p.getFileName().toString(), p));
        }
        return files;
    }
}
