package be.needtoknow.stack;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.utils.Time;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;

/**
 * A real Apache Kafka broker in KRaft mode (one node, broker and controller), from Apache Kafka's
 * own Maven artifacts, listening on 127.0.0.1 only. The suite (the run command, the benchmarks and
 * the end-to-end tests) runs it in a process of its own (Kafka's own main class, {@code kafka.Kafka},
 * on this JVM's class path), as a broker runs in production: a crash of the broker can be a real one
 * ({@link #kill()}), and the launcher's heap is not its heap. Only the services' own test stack runs
 * it inside the test JVM ({@link Hosting#IN_THIS_JVM_FOR_TESTS}): it starts one per Quarkus test
 * profile, a process would cost each a JVM start, and none of those tests crashes the broker.
 */
public final class KafkaBroker implements AutoCloseable {

    /**
     * The administrator (a super user): the broker's own identity between its listeners and the
     * identity of whoever sets up topics, principals and ACLs. Development default only: the
     * embedded broker never leaves 127.0.0.1.
     */
    public static final String ADMIN = "admin";
    public static final String DEV_ADMIN_PASSWORD = "dev-only-kafka-admin";

    /** Where the broker runs. */
    public enum Hosting {
        /** A process of its own: the suite's. */
        OWN_PROCESS,
        /** Inside this JVM: the services' own test stack only. */
        IN_THIS_JVM_FOR_TESTS
    }

    /** One of the two is set: the broker's process, or the broker in this JVM. */
    private final ChildProcess process;
    private final KafkaRaftServer server;
    private final int port;
    private final int adminPort;

    private KafkaBroker(ChildProcess process, KafkaRaftServer server, int port, int adminPort) {
        this.process = process;
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
    public static KafkaBroker start(Path directory, int port, Hosting hosting) throws IOException {
        return start(directory, port, 0, hosting, directory.resolve("broker.log"));
    }

    /**
     * @param adminPort the administrator's listener, 0 for a free one
     * @param log where the broker's own process writes its output (appended to)
     */
    public static KafkaBroker start(Path directory, int port, int adminPort, Hosting hosting, Path log) throws IOException {
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
        // After a crash the controller fences the restarted broker until the old registration's session
        // ends (9 s by default): one node in the same place, so a short session lets it back sooner.
        props.put("broker.heartbeat.interval.ms", "1000");
        props.put("broker.session.timeout.ms", "3000");
        // Topics are part of the contract: they are created on purpose, never by a typo.
        props.put("auto.create.topics.enable", "false");
        Path config = directory.resolve("server.properties");
        try (Writer out = Files.newBufferedWriter(config)) {
            props.store(out, "need-to-know embedded Kafka broker (written at each start)");
        }
        if (!Files.exists(logs.resolve("meta.properties"))) {
            format(config);
        }
        if (hosting == Hosting.IN_THIS_JVM_FOR_TESTS) {
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            return new KafkaBroker(null, server, brokerPort, internalPort);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC"));
        command.addAll(Suite.testJvmOptions());
        // Its command line names the state directory, by which a later start finds it after a crash (Leftovers).
        // This JVM's class path, each entry made absolute: the broker runs in its own directory.
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
        command.addAll(List.of("-cp", classPath, "kafka.Kafka", config.toString()));
        ChildProcess process = ChildProcess.start("Kafka", command, directory, Map.of(), log, true);
        KafkaBroker broker = new KafkaBroker(process, null, brokerPort, internalPort);
        try {
            broker.awaitReady(Duration.ofMinutes(1));
        } catch (RuntimeException e) {
            broker.kill();
            throw e;
        }
        return broker;
    }

    /** Waits until the broker answers its administrator (the cluster has a controller), failing early if it exits. */
    private void awaitReady(Duration timeout) {
        Map<String, Object> config = new HashMap<>(adminConfig());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(config)) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Kafka exited before it was ready; last lines of its log:\n" + process.tail(30));
                }
                try {
                    admin.describeCluster().controller().get(2, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException | TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("Kafka was not ready within " + timeout.toSeconds()
                                + " s; last lines of its log:\n" + process.tail(30), e);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for Kafka", e);
                }
            }
        }
    }

    /** The broker's process id (this JVM's when it runs in it). */
    public long pid() {
        return process != null ? process.pid() : ProcessHandle.current().pid();
    }

    /**
     * Kills the broker with SIGKILL, as a crash would: no controlled shutdown, no flush. What it
     * acknowledged is in its log files (written before the acknowledgement; the operating system
     * keeps them through a process crash; a power loss needs replicas, as in deploy/k8s).
     */
    public void kill() {
        if (process == null) {
            throw new IllegalStateException("The broker runs inside this JVM: it cannot be killed on its own");
        }
        process.kill();
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
        Map<String, Object> config = new HashMap<>(adminConfig());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30000);
        try (Admin admin = Admin.create(config)) {
            access.apply(admin, password, 3);
        }
    }

    /** Stops the broker: SIGTERM, on which Kafka shuts down in order (its own shutdown hook). */
    @Override
    public void close() {
        if (process != null) {
            process.close();
        } else {
            server.shutdown();
            server.awaitShutdown();
        }
    }
}
