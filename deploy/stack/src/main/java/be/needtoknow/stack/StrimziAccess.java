package be.needtoknow.stack;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The same access as {@link KafkaAccess} (deploy/kafka/access.json and the recipient directory, rule
 * N2), as the resources of the Strimzi operator on Kubernetes: a {@code KafkaTopic} per topic and a
 * {@code KafkaUser} per principal, with SCRAM-SHA-512 authentication (the User Operator makes each
 * user's password, in a Secret of the user's name) and the principal's ACLs (simple authorization).
 * deploy/k8s holds the two outputs, and its tests parse them into Strimzi's own model.
 *
 * <ul>
 * <li>{@code services}: the description's own topics and the services' principals, the same for
 * every deployment (deploy/k8s/base/kafka-access.yaml).</li>
 * <li>{@code recipients}: each recipient's topics and principal, for the directory of
 * NTK_RECIPIENTS_FILE or the demo one (deploy/k8s/overlays/development/kafka-recipients.yaml).</li>
 * </ul>
 *
 * The YAML is written by hand, as {@link KafkaAccess#commands} writes its script: the launcher has no
 * YAML library (and needs none at run time), the values are only topic, group and principal names
 * (recipient ids restricted by {@link KafkaAccess} to lower-case letters, digits and '-'), and
 * deploy/k8s's tests read the output back with Strimzi's model and compare it with the description.
 */
public final class StrimziAccess {

    /** The Kafka resource's name in deploy/k8s/base/kafka.yaml: every topic and user names it. */
    public static final String CLUSTER = "ntk-kafka";

    /** Partitions per topic, as deploy/kafka/demo-access.sh creates them; replicas: the three brokers. */
    static final int PARTITIONS = 3;
    static final int REPLICAS = 3;

    public enum Part {
        SERVICES, RECIPIENTS
    }

    private StrimziAccess() {
    }

    /** The resources of one part, for the access and the ids of its recipient directory. */
    public static String resources(KafkaAccess access, Set<String> recipients, Part part) {
        // A recipient's topics are those a recipient reads; the services' are the rest (the description's own).
        Set<String> recipientTopics = new LinkedHashSet<>();
        for (String topic : access.topics()) {
            if (recipients.stream().anyMatch(r -> access.allows(r, ResourceType.TOPIC, topic, AclOperation.READ))) {
                recipientTopics.add(topic);
            }
        }
        boolean services = part == Part.SERVICES;
        List<String> topics = access.topics().stream().filter(t -> recipientTopics.contains(t) != services).toList();
        List<String> principals = access.principals().stream().filter(p -> recipients.contains(p) != services).toList();

        StringBuilder s = new StringBuilder();
        s.append("# Generated from deploy/kafka/access.json").append(services ? "" : " and the recipient directory")
                .append(" by\n# deploy/suite.sh k8s-kafka-access ").append(part.name().toLowerCase(Locale.ROOT))
                .append(": do not edit.\n");
        s.append(services
                ? "# The description's own topics and the services' principals (docs/rules.md, N2).\n"
                : "# Each recipient's topics and principal (docs/rules.md, N2); NTK_RECIPIENTS_FILE names another directory.\n");
        s.append("# Each KafkaUser's password is made by Strimzi's User Operator, in the Secret of the user's name.\n");
        String separator = "";
        for (String topic : topics) {
            s.append(separator);
            separator = "---\n";
            header(s, "KafkaTopic", topic);
            s.append("spec:\n  partitions: ").append(PARTITIONS).append("\n  replicas: ").append(REPLICAS).append('\n');
        }
        for (String principal : principals) {
            s.append(separator);
            separator = "---\n";
            header(s, "KafkaUser", principal);
            s.append("spec:\n  authentication:\n    type: scram-sha-512\n  authorization:\n    type: simple\n    acls:\n");
            for (KafkaAccess.Grant g : access.grants().stream().filter(g -> g.principal().equals(principal)).toList()) {
                s.append("      - resource:\n          type: ").append(g.resource() == ResourceType.TOPIC ? "topic" : "group")
                        .append("\n          name: ").append(g.name())
                        .append("\n          patternType: ").append(g.pattern() == PatternType.PREFIXED ? "prefix" : "literal")
                        .append("\n        operations:\n          - ").append(capitalised(g.operation())).append('\n');
            }
        }
        return s.toString();
    }

    /** The recipient ids of a directory file (its "recipients[].id"). */
    public static Set<String> recipientIds(Path directory) throws IOException {
        Set<String> ids = new LinkedHashSet<>();
        for (JsonNode recipient : new ObjectMapper().readTree(directory.toFile()).path("recipients")) {
            ids.add(recipient.path("id").asText());
        }
        return ids;
    }

    /** The output for a repository's description and the directory given (the demo one when null). */
    public static String resources(Path repository, Path directory, Part part) throws IOException {
        Path recipients = directory == null ? repository.resolve("deploy/demo/recipients.json") : directory;
        KafkaAccess access = KafkaAccess.load(repository.resolve("deploy/kafka/access.json"), recipients);
        return resources(access, recipientIds(recipients), part);
    }

    private static void header(StringBuilder s, String kind, String name) {
        s.append("apiVersion: kafka.strimzi.io/v1\nkind: ").append(kind).append("\nmetadata:\n  name: ").append(name)
                .append("\n  labels:\n    strimzi.io/cluster: ").append(CLUSTER).append('\n');
    }

    private static String capitalised(AclOperation operation) {
        String name = operation.name().toLowerCase(Locale.ROOT);
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    /** deploy/suite.sh k8s-kafka-access services|recipients */
    public static void main(String[] args) throws IOException {
        if (args.length != 1 || !(args[0].equals("services") || args[0].equals("recipients"))) {
            System.err.println("usage: k8s-kafka-access services | recipients   (the directory: NTK_RECIPIENTS_FILE, else the demo one)");
            System.exit(2);
        }
        Path repository = Path.of(System.getProperty("ntk.repository", ".")).toAbsolutePath().normalize();
        String directory = System.getenv("NTK_RECIPIENTS_FILE");
        System.out.print(resources(repository, directory == null || directory.isBlank() ? null : Path.of(directory),
                Part.valueOf(args[0].toUpperCase(Locale.ROOT))));
    }
}
