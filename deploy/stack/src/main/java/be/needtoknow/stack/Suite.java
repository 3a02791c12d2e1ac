package be.needtoknow.stack;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * The whole suite on its embedded default stack: PostgreSQL and Kafka in this JVM, Keycloak and
 * the three services as child processes, all on 127.0.0.1. The run command uses the fixed ports of
 * architecture.md and keeps its state under one directory; the end-to-end tests use free ports and
 * a fresh directory.
 */
public final class Suite implements AutoCloseable {

    public static final String[] DEV_KEYCLOAK_ADMIN = { "admin", "dev-only-admin" };
    /** Development default of the pupil pseudonym key; the prod profile has none and needs one given. */
    public static final String DEV_PSEUDONYM_KEY = "dev-only-pseudonym-key-not-for-production";

    /**
     * Where things are and which ports to use. {@code externalPostgres} ("host:port") points the
     * suite at an existing PostgreSQL server, whose databases and roles an administrator created
     * with deploy/compose/postgres-init.sql; null starts the embedded one.
     */
    public record Settings(Path repository, Path home, int postgresPort, int kafkaPort, int keycloakPort,
            List<ServiceSpec> services, String externalPostgres) {

        public static Settings fixedPorts(Path repository, Path home, String externalPostgres) {
            return new Settings(repository, home, 5432, 9092, 8180, ServiceSpec.defaults(), externalPostgres);
        }

        public static Settings freePorts(Path repository, Path home) {
            return new Settings(repository, home, Ports.free(), Ports.free(), Ports.free(),
                    ServiceSpec.defaults().stream().map(s -> s.withPort(Ports.free())).toList(), null);
        }

        /** host:port of the PostgreSQL server the services use. */
        public String postgresAddress() {
            return externalPostgres != null ? externalPostgres : "127.0.0.1:" + postgresPort;
        }

        Path logs() {
            return home.resolve("logs");
        }
    }

    private final Settings settings;
    private final List<AutoCloseable> started = new ArrayList<>();
    private final Map<String, ChildProcess> services = new LinkedHashMap<>();
    private PostgresServer postgres;
    private KafkaBroker kafka;
    private KeycloakServer keycloak;
    private KafkaAccess access;

    private Suite(Settings settings) {
        this.settings = settings;
    }

    /** Starts everything and returns when every service reports ready; stops what it started on failure. */
    public static Suite start(Settings settings, Path keycloakHome) throws Exception {
        Suite suite = new Suite(settings);
        try {
            suite.startAll(keycloakHome);
            return suite;
        } catch (Exception | Error e) {
            suite.close();
            throw e;
        }
    }

    private void startAll(Path keycloakHome) throws Exception {
        checkPortsFree();
        Path distribution = settings.repository().resolve("deploy/stack/target/dist/keycloak-quarkus-dist.zip");
        if (!Files.exists(distribution)) {
            throw new IllegalStateException("The Keycloak distribution is missing at " + distribution
                    + "; build first (mvn package -DskipTests).");
        }
        keycloak = KeycloakServer.start(distribution, keycloakHome,
                settings.repository().resolve("deploy/keycloak/realm.json"), settings.keycloakPort(),
                settings.logs().resolve("keycloak.log"), DEV_KEYCLOAK_ADMIN);
        started.add(keycloak);
        if (settings.externalPostgres() == null) {
            postgres = PostgresServer.start(settings.home().resolve("postgres"), settings.postgresPort());
            started.add(postgres);
            for (ServiceSpec service : settings.services()) {
                postgres.ensureDatabase(service.database(), service.user(), service.password());
                postgres.ensureRole(service.appUser(), service.appPassword());
            }
        }
        kafka = KafkaBroker.start(settings.home().resolve("kafka"), settings.kafkaPort());
        started.add(kafka);
        // Each service and each recipient of the directory: its topics, its principal, its ACLs.
        access = KafkaAccess.ofRepository(settings.repository());
        kafka.apply(access, KafkaAccess::developmentPassword);
        keycloak.awaitReady(Duration.ofMinutes(4));
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        for (ServiceSpec service : settings.services()) {
            ChildProcess process = startService(service);
            services.put(service.name(), process);
            started.add(process);
            ready.add(CompletableFuture.runAsync(
                    () -> process.awaitHttpOk(URI.create(service.url() + "/q/health/ready"), Duration.ofMinutes(2))));
        }
        CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).join();
    }

    private void checkPortsFree() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        if (settings.externalPostgres() == null) {
            ports.put("PostgreSQL", settings.postgresPort());
        }
        ports.put("Kafka", settings.kafkaPort());
        ports.put("Keycloak", settings.keycloakPort());
        settings.services().forEach(s -> ports.put(s.name(), s.port()));
        String taken = ports.entrySet().stream().filter(e -> !Ports.isFree(e.getValue()))
                .map(e -> e.getKey() + " (127.0.0.1:" + e.getValue() + ")").collect(Collectors.joining(", "));
        if (!taken.isEmpty()) {
            throw new PortTakenException("Port(s) already in use: " + taken
                    + ". Stop whatever listens there (or a suite that is still running: deploy/suite.sh stop).");
        }
    }

    private ChildProcess startService(ServiceSpec service) throws IOException {
        Path jar = jarOf(service);
        if (!Files.exists(jar)) {
            throw new IllegalStateException(service.name() + " is not built (" + jar + " is missing).");
        }
        Map<String, String> env = environment(service);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // -Dntk.home marks the process as this suite's, so a later start can clean up after a crash.
        List<String> command = List.of(java, "-Xms64m", "-Xmx384m", "-XX:+UseSerialGC",
                "-Dntk.home=" + settings.home(), "-jar", jar.toString());
        return ChildProcess.start(service.name(), command, settings.home(), env,
                settings.logs().resolve(service.name() + ".log"));
    }

    /** The packaged service. */
    public Path jarOf(ServiceSpec service) {
        return settings.repository().resolve(service.name() + "/target/quarkus-app/quarkus-run.jar");
    }

    /** The environment the run command gives a service: the local profile, the stack's addresses, development defaults. */
    public Map<String, String> environment(ServiceSpec service) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_PROFILE", "local");
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_HTTP_PORT", Integer.toString(service.port()));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://" + settings.postgresAddress() + "/" + service.database());
        // The service runs as its runtime role; its migrations run as the database's owner.
        env.put("QUARKUS_DATASOURCE_USERNAME", service.appUser());
        env.put("QUARKUS_DATASOURCE_PASSWORD", service.appPassword());
        env.put("QUARKUS_FLYWAY_USERNAME", service.user());
        env.put("QUARKUS_FLYWAY_PASSWORD", service.password());
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("QUARKUS_OIDC_AUTH_SERVER_URL", keycloak.issuer());
        env.put("NTK_PSEUDONYM_KEY", DEV_PSEUDONYM_KEY);
        env.put("NTK_RECIPIENTS_FILE", settings.repository().resolve("deploy/demo/recipients.json").toString());
        env.put("QUARKUS_REST_CLIENT_CASE_SERVICE_URL", serviceUrl("case-service"));
        return env;
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    public KafkaAccess kafkaAccess() {
        return access;
    }

    public KeycloakServer keycloak() {
        return keycloak;
    }

    public Settings settings() {
        return settings;
    }

    /** The embedded PostgreSQL server; null when the suite uses an existing one. */
    public PostgresServer postgres() {
        return postgres;
    }

    /** The child process of a service (its pid, its time to ready). */
    public ChildProcess service(String name) {
        ChildProcess process = services.get(name);
        if (process == null) {
            throw new IllegalArgumentException("No service '" + name + "' in this suite");
        }
        return process;
    }

    public String serviceUrl(String name) {
        return settings.services().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow().url();
    }

    /** The pids of the child processes (Keycloak, the services) and of PostgreSQL's server. */
    public List<Long> childPids() {
        List<Long> pids = new ArrayList<>();
        services.values().forEach(p -> pids.add(p.pid()));
        if (keycloak != null) {
            pids.add(keycloak.pid());
        }
        return pids;
    }

    /** Stops the services, then Keycloak, Kafka and PostgreSQL: the reverse of the start order. */
    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("Could not stop " + started.get(i) + ": " + e);
            }
        }
        started.clear();
    }

    /** A port of the stack is taken by another process. */
    public static final class PortTakenException extends IllegalStateException {
        public PortTakenException(String message) {
            super(message);
        }
    }

}
