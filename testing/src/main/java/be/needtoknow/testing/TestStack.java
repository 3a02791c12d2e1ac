package be.needtoknow.testing;

import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import be.needtoknow.stack.KafkaAccess;
import be.needtoknow.stack.KafkaBroker;
import be.needtoknow.stack.MailServer;
import be.needtoknow.stack.Mailboxes;
import be.needtoknow.stack.PostgresServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts, for a service's Quarkus tests, a real PostgreSQL server and a real Kafka broker (both
 * throw-away, on free ports, once per test JVM), a real mail server, and an RSA key pair that stands in for Keycloak's realm key: the
 * service verifies tokens that {@link TestTokens} signs with it, locally, with no server. (One
 * test, in deploy/e2e, runs against the real Keycloak.)
 */
public class TestStack implements QuarkusTestResourceLifecycleManager {

    public static final String ISSUER = "https://keycloak.test/realms/need-to-know";
    static final String PRIVATE_KEY_PROPERTY = "ntk.test.private-key";
    static final String KAFKA_PROPERTY = "ntk.test.kafka";
    static final String KAFKA_ADMIN_PROPERTY = "ntk.test.kafka.admin";
    /** Each principal's password in the tests (the services read theirs as ntk.kafka.password). */
    public static String kafkaPassword(String principal) {
        return "test-only-kafka-" + principal;
    }

    /**
     * Fault tests stop and start the broker through this platform MBean: JMX reaches across the
     * class loaders of the test and of this resource.
     */
    static final String KAFKA_CONTROL = "be.needtoknow.test:type=KafkaBroker";

    /** stop, then start: the same port and log directory. */
    public interface KafkaControlMBean {
        void stop();

        void start();
    }

    /** The broker's control, registered while the test stack runs. */
    public class KafkaControl implements KafkaControlMBean {
        @Override
        public void stop() {
            control("stop");
        }

        @Override
        public void start() {
            control("start");
        }
    }

    static final String IMAP_PROPERTY = "ntk.test.imap";

    private PostgresServer postgres;
    private MailServer mail;
    private volatile KafkaBroker kafka;
    private Path kafkaDirectory;

    /**
     * The running stack's settings, kept in a system property as properties text (every Quarkus
     * restart loads this class anew, and libraries read the system properties as strings): a test
     * profile restarts the application, which finds the same servers, database and key again instead
     * of a new stack each time (each new one cost a PostgreSQL initdb and a broker start, some 20 s).
     * The stack stops when the test JVM ends.
     */
    private static final String RUNNING = "ntk.test.stack.running";

    @Override
    public Map<String, String> start() {
        String running = System.getProperty(RUNNING);
        if (running != null) {
            Properties config = new Properties();
            try {
                config.load(new StringReader(running));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            Map<String, String> settings = new HashMap<>();
            config.stringPropertyNames().forEach(name -> settings.put(name, config.getProperty(name)));
            return settings;
        }
        try {
            postgres = PostgresServer.start(null, 0, PostgresServer.Durability.FAST_FOR_TESTS);
            postgres.ensureDatabase("ntk", "ntk", "test-only-password");
            postgres.ensureRole("ntk_app", "test-only-app-password");
            mail = MailServer.start(0, 0);
            kafkaDirectory = Files.createTempDirectory("ntk-test-kafka");
            kafka = KafkaBroker.start(kafkaDirectory, 0, KafkaBroker.Hosting.IN_THIS_JVM_FOR_TESTS);
            // The services' and the demo recipients' topics, principals and ACLs, as in the run command.
            kafka.apply(KafkaAccess.ofRepository(repository()), TestStack::kafkaPassword);
        } catch (Exception e) {
            throw new IllegalStateException("The test stack did not start", e);
        }
        KeyPair keys = rsaKeys();
        // System properties, not static fields: test classes and this resource live in different
        // class loaders of the same JVM.
        System.setProperty(PRIVATE_KEY_PROPERTY, Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded()));
        System.setProperty(KAFKA_PROPERTY, kafka.bootstrapServers());
        System.setProperty(IMAP_PROPERTY, Integer.toString(mail.imapPort()));
        System.setProperty(KAFKA_ADMIN_PROPERTY, kafka.adminConfig().get("bootstrap.servers").toString());
        try {
            java.lang.management.ManagementFactory.getPlatformMBeanServer()
                    .registerMBean(new KafkaControl(), new javax.management.ObjectName(KAFKA_CONTROL));
        } catch (javax.management.JMException e) {
            throw new IllegalStateException("Could not register the broker control", e);
        }
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl("ntk"));
        // As in the run command: the service as its runtime role, the migrations as the owner.
        config.put("quarkus.datasource.username", "ntk_app");
        config.put("quarkus.datasource.password", "test-only-app-password");
        config.put("quarkus.flyway.username", "ntk");
        config.put("quarkus.flyway.password", "test-only-password");
        config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        // The service authenticates as its own principal (ntk.kafka.username) with its test password.
        config.put("ntk.kafka.password", kafkaPassword("${ntk.kafka.username}"));
        // Verify tokens locally with the test key: no OIDC server, no discovery.
        config.put("quarkus.oidc.auth-server-url", "");
        config.put("quarkus.oidc.public-key", Base64.getEncoder().encodeToString(keys.getPublic().getEncoded()));
        config.put("quarkus.oidc.token.issuer", ISSUER);
        config.put("ntk.pseudonym.key", "test-only-pseudonym-key");
        // The family's mail goes through a real SMTP server (case-service's family channel).
        config.put("quarkus.mailer.mock", "false");
        config.put("quarkus.mailer.host", "127.0.0.1");
        config.put("quarkus.mailer.port", Integer.toString(mail.smtpPort()));
        Properties settings = new Properties();
        settings.putAll(config);
        StringWriter text = new StringWriter();
        try {
            settings.store(text, null);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        System.setProperty(RUNNING, text.toString());
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopServers, "test-stack-stop"));
        return config;
    }

    private synchronized void control(String command) {
        try {
            if (command.equals("stop")) {
                kafka.close();
            } else if (command.equals("start")) {
                kafka = KafkaBroker.start(kafkaDirectory, kafka.port(), kafka.adminPort(), KafkaBroker.Hosting.IN_THIS_JVM_FOR_TESTS,
                        null);
            } else {
                throw new IllegalArgumentException(command);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The messages in one address's mailbox of the test stack's mail server, read over IMAP as a family would. */
    public static java.util.List<Mailboxes.Mail> mailbox(String address) {
        return Mailboxes.read("127.0.0.1", Integer.getInteger(IMAP_PROPERTY), address);
    }

    /** The repository the test runs in: the first directory up from here that holds deploy/kafka/access.json. */
    private static Path repository() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("deploy/kafka/access.json"))) {
                return dir;
            }
        }
        throw new IllegalStateException("deploy/kafka/access.json not found above " + Path.of("").toAbsolutePath());
    }

    /** A fresh RSA key pair (the realm key of the test stack; TestTokens makes a stranger's with it too). */
    static KeyPair rsaKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Nothing: the stack outlives the application, for the next one in this JVM ({@link #RUNNING}). */
    @Override
    public void stop() {
    }

    private void stopServers() {
        try {
            var beans = java.lang.management.ManagementFactory.getPlatformMBeanServer();
            var name = new javax.management.ObjectName(KAFKA_CONTROL);
            if (beans.isRegistered(name)) {
                beans.unregisterMBean(name);
            }
            if (kafka != null) {
                kafka.close();
            }
            if (postgres != null) {
                postgres.close();
            }
            if (mail != null) {
                mail.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException("The test stack did not stop cleanly", e);
        }
    }
}
