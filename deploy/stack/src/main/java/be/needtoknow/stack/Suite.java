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
 * The whole suite on its embedded default stack: PostgreSQL, Kafka, Keycloak, two witnesses of the
 * audit log and the three services, each a child process of this JVM, and the mail server in this
 * JVM, all on 127.0.0.1. The run
 * command uses the fixed ports of the README (and 8091, 8092 for the witnesses) and keeps its state under
 * one directory; the end-to-end tests use free ports and a fresh directory.
 */
public final class Suite implements AutoCloseable {

    public static final String[] DEV_KEYCLOAK_ADMIN = { "admin", "dev-only-admin" };
    /** Development default of the pupil pseudonym key; the prod profile has none and needs one given. */
    public static final String DEV_PSEUDONYM_KEY = "dev-only-pseudonym-key-not-for-production";

    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * Where things are and which ports to use. {@code externalPostgres} ("host:port") points the
     * suite at an existing PostgreSQL server, whose databases and roles an administrator created
     * with deploy/compose/postgres-init.sql; null starts the embedded one.
     */
    public record Settings(Path repository, Path home, int postgresPort, int kafkaPort, int keycloakPort,
            List<ServiceSpec> services, String externalPostgres, List<WitnessSpec> witnesses, int smtpPort,
            int imapPort, boolean keepIdentities) {

        /** The run command's: its fixed ports, and Keycloak's users kept across starts (their subject ids). */
        public static Settings fixedPorts(Path repository, Path home, String externalPostgres) {
            return new Settings(repository, home, 5432, 9092, 8180, ServiceSpec.defaults(), externalPostgres,
                    WitnessSpec.defaults(), 2525, 2143, true);
        }

        public static Settings freePorts(Path repository, Path home) {
            return new Settings(repository, home, Ports.free(), Ports.free(), Ports.free(),
                    ServiceSpec.defaults().stream().map(s -> s.withPort(Ports.free())).toList(), null,
                    WitnessSpec.defaults().stream().map(w -> w.withPort(Ports.free())).toList(), Ports.free(),
                    Ports.free(), false);
        }

        /** host:port of the PostgreSQL server the services use. */
        public String postgresAddress() {
            return externalPostgres != null ? externalPostgres : "127.0.0.1:" + postgresPort;
        }

        public Path logs() {
            return home.resolve("logs");
        }
    }

    private final Settings settings;
    private final List<AutoCloseable> started = new ArrayList<>();
    private final Map<String, ChildProcess> services = new LinkedHashMap<>();
    /** Second instances of services (the failover tests), by instance name: the service they run. */
    private final Map<String, ServiceSpec> instances = new LinkedHashMap<>();
    private final Map<String, String> programs = new LinkedHashMap<>();
    private PostgresServer postgres;
    private int postgresPort;
    private KafkaBroker kafka;
    private boolean kafkaRunning;
    private KeycloakServer keycloak;
    private KafkaAccess access;
    private Witnesses witnesses;
    private MailServer mail;
    /** Settings the tests give every service on top of the run command's (a short interval, say). */
    private final Map<String, String> serviceOverrides;

    private Suite(Settings settings, Map<String, String> serviceOverrides) {
        this.settings = settings;
        this.serviceOverrides = Map.copyOf(serviceOverrides);
    }

    /** Starts everything and returns when every service reports ready; stops what it started on failure. */
    public static Suite start(Settings settings, Path keycloakHome) throws Exception {
        return start(settings, keycloakHome, Map.of());
    }

    /**
     * As {@link #start(Settings, Path)}, with environment variables that every service gets on top of
     * the run command's (the tests shorten an interval this way).
     */
    public static Suite start(Settings settings, Path keycloakHome, Map<String, String> serviceOverrides)
            throws Exception {
        Suite suite = new Suite(settings, serviceOverrides);
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
                settings.logs().resolve("keycloak.log"), DEV_KEYCLOAK_ADMIN, settings.keepIdentities());
        started.add(keycloak);
        // The witnesses start beside the rest (a second or so) and must answer before audit-service starts.
        witnesses = Witnesses.start(settings.witnesses(), Witnesses.jar(settings.repository()), settings.home(),
                settings.logs());
        started.add(new Step("the witnesses", witnesses));
        if (settings.externalPostgres() == null) {
            postgres = PostgresServer.start(postgresDirectory(), settings.postgresPort(), PostgresServer.Durability.DURABLE);
            started.add(new Step("PostgreSQL", this::closePostgres));
            for (ServiceSpec service : settings.services()) {
                postgres.ensureDatabase(service.database(), service.user(), service.password());
                postgres.ensureRole(service.appUser(), service.appPassword());
            }
        }
        // The family's mail: case-service delivers over SMTP, the families read over IMAP.
        mail = MailServer.start(settings.smtpPort(), settings.imapPort());
        started.add(new Step("the mail server", mail));
        kafka = KafkaBroker.start(kafkaDirectory(), settings.kafkaPort(), 0, KafkaBroker.Hosting.OWN_PROCESS,
                settings.logs().resolve("kafka.log"));
        kafkaRunning = true;
        started.add(new Step("Kafka", this::closeKafka));
        // Each service and each recipient of the directory: its topics, its principal, its ACLs.
        access = KafkaAccess.ofRepository(settings.repository());
        kafka.apply(access, KafkaAccess::developmentPassword);
        keycloak.awaitReady(Duration.ofMinutes(4));
        witnesses.awaitReady(Duration.ofMinutes(1));
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        for (ServiceSpec service : settings.services()) {
            services.put(service.name(), startService(service, false));
            started.add(new Step(service.name(), () -> closeService(service.name())));
            ready.add(CompletableFuture.runAsync(() -> awaitReady(service.name(), Duration.ofMinutes(2))));
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
        ports.put("SMTP", settings.smtpPort());
        ports.put("IMAP", settings.imapPort());
        settings.services().forEach(s -> ports.put(s.name(), s.port()));
        settings.witnesses().forEach(w -> ports.put("the witness of " + w.description(), w.port()));
        String taken = ports.entrySet().stream().filter(e -> !Ports.isFree(e.getValue()))
                .map(e -> e.getKey() + " (127.0.0.1:" + e.getValue() + ")").collect(Collectors.joining(", "));
        if (!taken.isEmpty()) {
            throw new PortTakenException("Port(s) already in use: " + taken
                    + ". Stop whatever listens there (or a suite that is still running: deploy/suite.sh stop).");
        }
    }

    private Path postgresDirectory() {
        return settings.home().resolve("postgres");
    }

    private Path kafkaDirectory() {
        return settings.home().resolve("kafka");
    }

    private ChildProcess startService(ServiceSpec service, boolean appendToLog) throws IOException {
        Path jar = jarOf(service);
        if (!Files.exists(jar)) {
            throw new IllegalStateException(service.name() + " is not built (" + jar + " is missing).");
        }
        Map<String, String> env = environment(service);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // -Dntk.home marks the process as this suite's, so a later start can clean up after a crash.
        List<String> command = new ArrayList<>(List.of(java, "-Xms64m", "-Xmx384m", "-XX:+UseSerialGC"));
        command.addAll(testJvmOptions());
        command.addAll(List.of("-Dntk.home=" + settings.home(), "-jar", jar.toString()));
        return ChildProcess.start(service.name(), command, settings.home(), env,
                settings.logs().resolve(service.name() + ".log"), appendToLog);
    }

    /**
     * JVM options the tests give the processes they start (system property {@code ntk.stack.test-jvm-options},
     * set by the end-to-end tests' pom): the quick-starting compiler only, since a test's processes live
     * for minutes and spend their processor on start-up. Empty for the run command and the benchmarks.
     */
    static List<String> testJvmOptions() {
        String options = System.getProperty("ntk.stack.test-jvm-options", "").trim();
        return options.isEmpty() ? List.of() : List.of(options.split("\\s+"));
    }

    /** The packaged service. */
    public Path jarOf(ServiceSpec service) {
        return settings.repository().resolve(program(service) + "/target/quarkus-app/quarkus-run.jar");
    }

    /** The service an instance runs: its own name, or for a second instance the service's. */
    private String program(ServiceSpec service) {
        return programs.getOrDefault(service.name(), service.name());
    }

    /**
     * Starts a second instance of a service on a port of its own, on the same database and in the
     * same consumer groups (as a second replica would run), named {@code <name>-2}; returns at once
     * (see {@link #awaitReady}). It stops with the suite.
     */
    public synchronized String startSecondInstance(String name) throws IOException {
        ServiceSpec base = spec(name);
        ServiceSpec second = new ServiceSpec(name + "-2", Ports.free(), base.database(), base.user(), base.password(),
                base.appUser(), base.appPassword());
        instances.put(second.name(), second);
        programs.put(second.name(), name);
        services.put(second.name(), startService(second, false));
        started.add(new Step(second.name(), () -> closeService(second.name())));
        return second.name();
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
        // audit-service's access report names people and organisations from these two directories (T4).
        env.put("QUARKUS_REST_CLIENT_REFERRAL_SERVICE_URL", serviceUrl("referral-service"));
        if (program(service).equals("case-service") && mail != null) {
            // The family channel: mail to the registered contacts through the stack's SMTP server, with
            // links to the pages the family opens (the transfer notice is referral-service's page).
            env.put("QUARKUS_MAILER_HOST", "127.0.0.1");
            env.put("QUARKUS_MAILER_PORT", Integer.toString(mail.smtpPort()));
            env.put("NTK_FAMILY_CASE_SERVICE_URL", serviceUrl("case-service"));
            env.put("NTK_FAMILY_REFERRAL_SERVICE_URL", serviceUrl("referral-service"));
        }
        if (program(service).equals("audit-service") && witnesses != null) {
            // Where to send each new checkpoint for cosigning, and how many cosignatures it needs.
            env.putAll(witnesses.auditEnvironment());
        }
        env.putAll(serviceOverrides);
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

    /** The mail server: where case-service sends the family's mail, where the families read it. */
    public MailServer mail() {
        return mail;
    }

    /** The messages in one address's mailbox, read over IMAP. */
    public List<Mailboxes.Mail> mailbox(String address) {
        return Mailboxes.read("127.0.0.1", mail.imapPort(), address);
    }

    /** The witnesses of the audit log: their URLs, verifier keys and processes. */
    public Witnesses witnesses() {
        return witnesses;
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
        return spec(name).url();
    }

    /** A service's settings (or a second instance's): its port, database and roles. */
    public synchronized ServiceSpec spec(String name) {
        return settings.services().stream().filter(s -> s.name().equals(name)).findFirst()
                .or(() -> java.util.Optional.ofNullable(instances.get(name)))
                .orElseThrow(() -> new IllegalArgumentException("No service " + name));
    }

    // --- Fault controls: the fault tests stop and start what the suite runs, as a crash or an outage would.

    /** Stops the Kafka broker; {@link #startKafka()} starts it again on the same ports and log directory. */
    public synchronized void stopKafka() {
        closeKafka();
    }

    /** Starts the Kafka broker again after {@link #stopKafka()}: the same ports, log directory, topics and ACLs. */
    public synchronized void startKafka() throws IOException {
        if (!kafkaRunning) {
            kafka = KafkaBroker.start(kafkaDirectory(), kafka.port(), kafka.adminPort(), KafkaBroker.Hosting.OWN_PROCESS,
                    settings.logs().resolve("kafka.log"));
            kafkaRunning = true;
        }
    }

    /**
     * Crashes the Kafka broker: SIGKILL, no controlled shutdown. {@link #startKafka()} starts it again
     * on the same log directory, which it recovers.
     */
    public synchronized void crashKafka() {
        if (kafkaRunning) {
            kafkaRunning = false;
            kafka.kill();
        }
    }

    private synchronized void closeKafka() {
        if (kafkaRunning) {
            kafkaRunning = false;
            kafka.close();
        }
    }

    /**
     * Stops the embedded PostgreSQL server ("fast" shutdown: open sessions are ended);
     * {@link #startPostgres()} starts it again on the same port and data directory.
     */
    public synchronized void stopPostgres() throws IOException {
        requireEmbeddedPostgres();
        closePostgres();
    }

    /**
     * Crashes the embedded PostgreSQL server: SIGKILL to the postmaster and every backend at once, as
     * a crash of the server would (no shutdown, no checkpoint). {@link #startPostgres()} starts it
     * again on the same data directory, and PostgreSQL recovers from its write-ahead log.
     */
    public synchronized void crashPostgres() throws IOException {
        requireEmbeddedPostgres();
        if (postgres == null) {
            return;
        }
        postgresPort = postgres.port();
        long pid = Long.parseLong(Files.readAllLines(postgresDirectory().resolve("postmaster.pid")).get(0).trim());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no postmaster " + pid));
        List<ProcessHandle> all = new ArrayList<>(postmaster.descendants().toList());
        all.add(0, postmaster);
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("PostgreSQL process " + p.pid() + " did not end", e);
            }
        }
        // Releases the data directory's lock in this JVM (its "pg_ctl stop" finds no server and says so in
        // the log); the next start finds the dead postmaster's pid file and recovers (PostgresServer.stopOrphan).
        PostgresServer crashed = postgres;
        postgres = null;
        crashed.close();
    }

    /**
     * Starts the embedded PostgreSQL server again after {@link #stopPostgres()}. The zonky server
     * restarts on its existing data directory: it runs initdb only when the directory holds no
     * postgresql.conf, and its close (pg_ctl stop) keeps the directory, as the run command relies on.
     */
    public synchronized void startPostgres() throws IOException {
        requireEmbeddedPostgres();
        if (postgres == null) {
            postgres = PostgresServer.start(postgresDirectory(), postgresPort, PostgresServer.Durability.DURABLE);
        }
    }

    private synchronized void closePostgres() throws IOException {
        if (postgres != null) {
            postgresPort = postgres.port();
            PostgresServer stopping = postgres;
            postgres = null;
            stopping.close();
        }
    }

    private void requireEmbeddedPostgres() {
        if (settings.externalPostgres() != null) {
            throw new IllegalStateException("The suite uses an existing PostgreSQL server, which it does not control");
        }
    }

    /** A connection to a database of the embedded PostgreSQL server as its superuser. */
    public synchronized java.sql.Connection connectAsSuperuser(String database) throws SQLException {
        requireEmbeddedPostgres();
        if (postgres == null) {
            throw new IllegalStateException("PostgreSQL is stopped");
        }
        return postgres.connectAsSuperuser(database);
    }

    /** Kills a service with SIGKILL, as a crash would: no shutdown hook, no clean-up. */
    public synchronized void killService(String name) {
        ChildProcess process = services.get(name);
        if (process != null && process.isAlive()) {
            process.kill();
        }
    }

    /**
     * Starts a service that was killed or stopped, with the same environment and port, its output
     * appended to its log; returns at once (see {@link #awaitReady} and {@link #readiness}).
     */
    public synchronized void startService(String name) throws IOException {
        ChildProcess process = services.get(name);
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is running");
        }
        services.put(name, startService(spec(name), true));
    }

    /** The pid of a service's current process. */
    public synchronized long servicePid(String name) {
        return services.get(name).pid();
    }

    /** Waits until the service reports ready (/q/health/ready answers 200), failing early if it exits. */
    public void awaitReady(String name, Duration timeout) {
        ChildProcess process;
        synchronized (this) {
            process = services.get(name);
        }
        process.awaitHttpOk(URI.create(serviceUrl(name) + "/q/health/ready"), timeout);
    }

    /** A health answer: its HTTP status (0 when nothing answers) and body. */
    public record Health(int status, String body) {
        /** 200 and status UP. */
        public boolean up() {
            return status == 200;
        }
    }

    /** The service's readiness (/q/health/ready): 200 UP, 503 DOWN, or 0 when it does not answer. */
    public Health readiness(String name) {
        return health(name, "/q/health/ready");
    }

    /** The service's liveness (/q/health/live). */
    public Health liveness(String name) {
        return health(name, "/q/health/live");
    }

    private Health health(String name, String path) {
        try {
            java.net.http.HttpResponse<String> response = HTTP.send(java.net.http.HttpRequest
                    .newBuilder(URI.create(serviceUrl(name) + path)).timeout(Duration.ofSeconds(10)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return new Health(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Health(0, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Health(0, "interrupted");
        }
    }

    private synchronized void closeService(String name) {
        ChildProcess process = services.get(name);
        if (process != null) {
            process.close();
        }
    }

    /** A step of the shutdown, named for its message if it fails. */
    private record Step(String name, AutoCloseable action) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            action.close();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The pids of the child processes (Keycloak, the witnesses, the services, Kafka). */
    public List<Long> childPids() {
        List<Long> pids = new ArrayList<>();
        services.values().forEach(p -> pids.add(p.pid()));
        if (kafka != null && kafkaRunning) {
            pids.add(kafka.pid());
        }
        if (witnesses != null) {
            pids.addAll(witnesses.pids());
        }
        if (keycloak != null) {
            pids.add(keycloak.pid());
        }
        return pids;
    }

    /** Stops the services, then Kafka, PostgreSQL, the witnesses and Keycloak: the reverse of the start order. */
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
