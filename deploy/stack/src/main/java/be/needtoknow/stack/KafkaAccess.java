package be.needtoknow.stack;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Who may read and write which topic, from the one description in {@code deploy/kafka/access.json}
 * and the recipient directory: the topics, the principals and the ACLs. {@link #apply} makes them
 * so on a broker (as its administrator); {@link #commands} writes them as the commands of Kafka's
 * own tools, for an administrator of a broker the suite has no rights on.
 */
public final class KafkaAccess {

    /** A topic or group name; {@code *} at the end makes it a prefix. */
    record Access(List<String> read, List<String> write, List<String> groups) {
    }

    /** The description's shape (deploy/kafka/access.json). */
    record Description(List<String> about, List<String> topics, List<Principal> principals, RecipientTemplate eachRecipient) {
    }

    record Principal(String principal, List<String> read, List<String> write, List<String> groups) {
    }

    record RecipientTemplate(List<String> topics, String principal, List<String> read, List<String> write,
            List<String> groups) {
    }

    /** The recipient directory's shape (only the ids matter here). */
    record Directory(List<Recipient> recipients) {
    }

    record Recipient(String id) {
    }

    /** One allowed operation of one principal on a topic or a consumer group (a name or a prefix). */
    public record Grant(String principal, ResourceType resource, String name, PatternType pattern, AclOperation operation) {

        AclBinding binding() {
            return new AclBinding(new ResourcePattern(resource, name, pattern),
                    new AccessControlEntry("User:" + principal, "*", operation, AclPermissionType.ALLOW));
        }

        /** Whether this grant allows the operation on the named resource. */
        public boolean allows(String who, ResourceType type, String resourceName, AclOperation op) {
            return principal.equals(who) && resource == type && operation == op
                    && (pattern == PatternType.LITERAL ? name.equals(resourceName) : resourceName.startsWith(name));
        }
    }

    /** Recipient ids become topic names and principals: nothing that could widen a prefix or a name. */
    private static final Pattern RECIPIENT_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final List<String> topics;
    private final List<String> principals;
    private final List<Grant> grants;

    private KafkaAccess(List<String> topics, List<String> principals, List<Grant> grants) {
        this.topics = topics;
        this.principals = principals;
        this.grants = grants;
    }

    /** The access of the services and of every recipient of the directory file. */
    public static KafkaAccess load(Path description, Path directory) throws IOException {
        ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        Description d = json.readValue(description.toFile(), Description.class);
        List<String> recipients = json.copy().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .readValue(directory.toFile(), Directory.class).recipients().stream()
                .map(Recipient::id).toList();
        Set<String> topics = new LinkedHashSet<>(d.topics());
        Set<String> principals = new LinkedHashSet<>();
        List<Grant> grants = new ArrayList<>();
        for (Principal p : d.principals()) {
            principals.add(p.principal());
            grants.addAll(grantsOf(p.principal(), new Access(p.read(), p.write(), p.groups())));
        }
        RecipientTemplate t = d.eachRecipient();
        for (String recipient : recipients) {
            if (!RECIPIENT_ID.matcher(recipient).matches() || principals.contains(recipient)) {
                throw new IllegalArgumentException("Recipient id '" + recipient + "' in " + directory
                        + " cannot name a principal and its topics (lower-case letters, digits and '-', not a service's name)");
            }
            Function<String, String> fill = s -> s.replace("{recipient}", recipient);
            t.topics().stream().map(fill).forEach(topics::add);
            String principal = fill.apply(t.principal());
            principals.add(principal);
            grants.addAll(grantsOf(principal, new Access(fill(t.read(), fill), fill(t.write(), fill), fill(t.groups(), fill))));
        }
        return new KafkaAccess(List.copyOf(topics), List.copyOf(principals), List.copyOf(grants));
    }

    /** The description and directory of a repository: deploy/kafka/access.json and deploy/demo/recipients.json. */
    public static KafkaAccess ofRepository(Path repository) throws IOException {
        return load(repository.resolve("deploy/kafka/access.json"), repository.resolve("deploy/demo/recipients.json"));
    }

    private static List<String> fill(List<String> names, Function<String, String> fill) {
        return names == null ? List.of() : names.stream().map(fill).toList();
    }

    private static List<Grant> grantsOf(String principal, Access access) {
        List<Grant> grants = new ArrayList<>();
        for (String topic : nonNull(access.read())) {
            grants.add(grant(principal, ResourceType.TOPIC, topic, AclOperation.READ));
        }
        for (String topic : nonNull(access.write())) {
            grants.add(grant(principal, ResourceType.TOPIC, topic, AclOperation.WRITE));
        }
        for (String group : nonNull(access.groups())) {
            grants.add(grant(principal, ResourceType.GROUP, group, AclOperation.READ));
        }
        return grants;
    }

    private static List<String> nonNull(List<String> names) {
        return names == null ? List.of() : names;
    }

    private static Grant grant(String principal, ResourceType type, String name, AclOperation operation) {
        boolean prefix = name.endsWith("*");
        return new Grant(principal, type, prefix ? name.substring(0, name.length() - 1) : name,
                prefix ? PatternType.PREFIXED : PatternType.LITERAL, operation);
    }

    public List<String> topics() {
        return topics;
    }

    public List<String> principals() {
        return principals;
    }

    public List<Grant> grants() {
        return grants;
    }

    /** Whether the description allows the principal the operation on the named topic or group. */
    public boolean allows(String principal, ResourceType type, String name, AclOperation operation) {
        return grants.stream().anyMatch(g -> g.allows(principal, type, name, operation));
    }

    /**
     * Creates the missing topics, sets every principal's SCRAM-SHA-512 password and adds the ACLs
     * (all three are idempotent), as the broker's administrator.
     */
    public void apply(Admin admin, Function<String, String> password, int partitions) {
        try {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, partitions, (short) 1)).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
            }
            admin.alterUserScramCredentials(principals.stream()
                    .<org.apache.kafka.clients.admin.UserScramCredentialAlteration>map(p -> new UserScramCredentialUpsertion(p,
                            new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password.apply(p)))
                    .toList()).all().get();
            admin.createAcls(grants.stream().map(Grant::binding).toList()).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not set up Kafka's topics, principals and ACLs", e.getCause());
        }
    }

    /**
     * The same, as a shell script of Kafka's command-line tools (kafka-topics.sh, kafka-configs.sh,
     * kafka-acls.sh) for the principals given (all when empty). It reads the broker address
     * ($KAFKA_BOOTSTRAP), the administrator's client settings ($KAFKA_ADMIN_CONFIG) and each
     * principal's password ($NTK_KAFKA_PASSWORD_&lt;PRINCIPAL&gt;) from the environment.
     */
    public String commands(Set<String> only) {
        Set<String> wanted = only.isEmpty() ? new LinkedHashSet<>(principals) : only;
        for (String p : wanted) {
            if (!principals.contains(p)) {
                throw new IllegalArgumentException("No principal '" + p + "' in the description or the directory; known: " + principals);
            }
        }
        String admin = "--bootstrap-server \"$KAFKA_BOOTSTRAP\" --command-config \"$KAFKA_ADMIN_CONFIG\"";
        StringBuilder s = new StringBuilder();
        s.append("#!/bin/sh\n");
        s.append("# Generated from deploy/kafka/access.json and the recipient directory by\n");
        s.append("# deploy/suite.sh kafka-access").append(only.isEmpty() ? "" : " " + String.join(" ", only)).append(": do not edit.\n");
        s.append("# Needs KAFKA_BOOTSTRAP (host:port), KAFKA_ADMIN_CONFIG (the administrator's client properties)\n");
        s.append("# and NTK_KAFKA_PASSWORD_<PRINCIPAL> for each principal; KAFKA_BIN (default /opt/kafka/bin).\n");
        s.append("set -eu\nbin=\"${KAFKA_BIN:-/opt/kafka/bin}\"\n\n");
        s.append("# Topics\n");
        for (String topic : topics) {
            // For chosen principals (a new recipient): the topics they read.
            if (only.isEmpty() || wanted.stream().anyMatch(p -> allows(p, ResourceType.TOPIC, topic, AclOperation.READ))) {
                s.append("\"$bin/kafka-topics.sh\" ").append(admin).append(" --create --if-not-exists --topic ")
                        .append(topic).append(" --partitions 3\n");
            }
        }
        for (String p : wanted) {
            s.append("\n# ").append(p).append("\n");
            s.append("\"$bin/kafka-configs.sh\" ").append(admin).append(" --alter --entity-type users --entity-name ")
                    .append(p).append(" --add-config \"SCRAM-SHA-512=[iterations=8192,password=${")
                    .append(passwordVariable(p)).append(":?set the Kafka password of ").append(p).append("}]\"\n");
            for (Grant g : grants.stream().filter(g -> g.principal().equals(p)).toList()) {
                s.append("\"$bin/kafka-acls.sh\" ").append(admin).append(" --add --allow-principal User:").append(p)
                        .append(" --operation ").append(capitalised(g.operation()))
                        .append(g.resource() == ResourceType.TOPIC ? " --topic " : " --group ").append(g.name())
                        .append(g.pattern() == PatternType.PREFIXED ? " --resource-pattern-type prefixed" : "").append("\n");
            }
        }
        return s.toString();
    }

    /**
     * A principal's password in the embedded stack and docker-compose (the services' local profile
     * has the same): a development default, refused by the prod profile.
     */
    public static String developmentPassword(String principal) {
        return "dev-only-kafka-" + principal;
    }

    /** NTK_KAFKA_PASSWORD_CLB_GENT for clb-gent. */
    public static String passwordVariable(String principal) {
        return "NTK_KAFKA_PASSWORD_" + principal.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private static String capitalised(AclOperation operation) {
        String name = operation.name().toLowerCase(Locale.ROOT);
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }
}
