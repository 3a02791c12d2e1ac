package be.needtoknow.stack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.utils.Time;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;

/**
 * A real Apache Kafka broker in KRaft mode (one node, broker and controller), running in this JVM
 * from Apache Kafka's own Maven artifacts, listening on 127.0.0.1 only.
 */
public final class KafkaBroker implements AutoCloseable {

    /**
     * The administrator (a super user): the broker's own identity between its listeners and the
     * identity of whoever sets up topics, principals and ACLs. Development default only: the
     * embedded broker never leaves 127.0.0.1.
     */
    public static final String ADMIN = "admin";
    public static final String DEV_ADMIN_PASSWORD = "dev-only-kafka-admin";

    private final KafkaRaftServer server;
    private final int port;
    private final int adminPort;

    private KafkaBroker(KafkaRaftServer server, int port, int adminPort) {
        this.server = server;
        this.port = port;
        this.adminPort = adminPort;
    }

    /**
     * Starts the broker with authentication and authorization on: clients authenticate with
     * SCRAM-SHA-512 on the client listener, the StandardAuthorizer allows only what an ACL allows
     * ({@link KafkaAccess}), and the administrator uses PLAIN on a listener of its own (so its
     * credential needs no bootstrapping into the metadata log).
     *
     * @param directory where the broker keeps its logs (kept between runs); @param port 0 for a free one
     */
    public static KafkaBroker start(Path directory, int port) throws IOException {
        return start(directory, port, 0);
    }

    /** @param adminPort the administrator's listener, 0 for a free one */
    public static KafkaBroker start(Path directory, int port, int adminPort) throws IOException {
        int brokerPort = port > 0 ? port : Ports.free();
        int internalPort = adminPort > 0 ? adminPort : Ports.free();
        int controllerPort = Ports.free();
        Files.createDirectories(directory);
        Path logs = directory.resolve("logs");
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        props.put("listeners", "SASL_PLAINTEXT://127.0.0.1:" + brokerPort + ",INTERNAL://127.0.0.1:" + internalPort
                + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "SASL_PLAINTEXT://127.0.0.1:" + brokerPort + ",INTERNAL://127.0.0.1:" + internalPort);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "INTERNAL");
        props.put("listener.security.protocol.map",
                "SASL_PLAINTEXT:SASL_PLAINTEXT,INTERNAL:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
        // Clients: SCRAM-SHA-512 only; the credentials live in the cluster's metadata (KafkaAccess).
        props.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        props.put("listener.name.sasl_plaintext.sasl.enabled.mechanisms", "SCRAM-SHA-512");
        props.put("listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        // The administrator and the controller: PLAIN with the one static user.
        String adminLogin = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + ADMIN
                + "\" password=\"" + DEV_ADMIN_PASSWORD + "\" user_" + ADMIN + "=\"" + DEV_ADMIN_PASSWORD + "\";";
        props.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        props.put("listener.name.internal.sasl.enabled.mechanisms", "PLAIN");
        props.put("listener.name.internal.plain.sasl.jaas.config", adminLogin);
        props.put("sasl.mechanism.controller.protocol", "PLAIN");
        props.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        props.put("listener.name.controller.plain.sasl.jaas.config", adminLogin);
        // Nothing is open to everyone: what no ACL allows is refused (domain rule N2).
        props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        props.put("allow.everyone.if.no.acl.found", "false");
        props.put("super.users", "User:" + ADMIN);
        props.put("log.dirs", logs.toString());
        props.put("num.partitions", "3");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "3");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        // Topics are part of the contract: they are created on purpose, never by a typo.
        props.put("auto.create.topics.enable", "false");
        Path config = directory.resolve("server.properties");
        try (Writer out = Files.newBufferedWriter(config)) {
            props.store(out, "need-to-know embedded Kafka broker (written at each start)");
        }
        if (!Files.exists(logs.resolve("meta.properties"))) {
            format(config);
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        return new KafkaBroker(server, brokerPort, internalPort);
    }

    private static void format(Path config) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exit = StorageTool.execute(new String[] { "format", "--standalone", "--ignore-formatted",
                "-t", org.apache.kafka.common.Uuid.randomUuid().toString(), "-c", config.toString() }, new PrintStream(output, true, StandardCharsets.UTF_8));
        if (exit != 0) {
            throw new IllegalStateException("Kafka storage format failed: " + output.toString(StandardCharsets.UTF_8));
        }
    }

    /** The client listener (SCRAM-SHA-512). */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public int adminPort() {
        return adminPort;
    }

    /** Client settings of a principal on the client listener. */
    public Map<String, Object> clientConfig(String principal, String password) {
        return clientConfig(bootstrapServers(), principal, password);
    }

    /** Client settings of a principal: SASL/SCRAM-SHA-512 (the password is never logged: Kafka hides it). */
    public static Map<String, Object> clientConfig(String bootstrapServers, String principal, String password) {
        return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512",
                SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + principal + "\" password=\"" + password + "\";");
    }

    /** The administrator's client settings, on its own listener. */
    public Map<String, Object> adminConfig() {
        return adminConfig("127.0.0.1:" + adminPort);
    }

    /** The administrator's client settings for the listener at that address. */
    public static Map<String, Object> adminConfig(String adminBootstrapServers) {
        return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, adminBootstrapServers,
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM, "PLAIN",
                SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                        + ADMIN + "\" password=\"" + DEV_ADMIN_PASSWORD + "\";");
    }

    /** Creates the topics, principals and ACLs of the description, as the administrator. */
    public void apply(KafkaAccess access, java.util.function.Function<String, String> password) {
        Map<String, Object> config = new java.util.HashMap<>(adminConfig());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30000);
        try (Admin admin = Admin.create(config)) {
            access.apply(admin, password, 3);
        }
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
