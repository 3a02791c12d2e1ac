package be.needtoknow.stack;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The real Keycloak server ({@code org.keycloak:keycloak-quarkus-dist} from Maven Central) as a
 * child process in development mode, importing deploy/keycloak/realm.json. The unpacked server is
 * kept between runs (its first start builds it, ~30 s). The run command keeps its realm database
 * across starts (the realm file is imported only when the realm is absent), so every user keeps
 * their subject id and with it what they own (case files are owned by subject); the tests and the
 * benchmarks reset it at each start, so their realm is always exactly the file's.
 */
public final class KeycloakServer implements AutoCloseable {

    public static final String REALM = "need-to-know";

    private final List<String> command;
    private final Path server;
    private final Map<String, String> environment;
    private final Path log;
    private final int port;
    /** The running server; null while it is stopped ({@link #stop()}). */
    private ChildProcess process;
    /** The last process, for its pid and log once stopped. */
    private ChildProcess last;

    private KeycloakServer(List<String> command, Path server, Map<String, String> environment, Path log, int port) {
        this.command = command;
        this.server = server;
        this.environment = environment;
        this.log = log;
        this.port = port;
    }

    /**
     * @param distribution the keycloak-quarkus-dist zip
     * @param home         where it is unpacked (reused when already there)
     * @param realmFile    the realm to import
     * @param port         the HTTP port (127.0.0.1)
     * @param log          where the server's output goes
     * @param admin        the bootstrap administrator's user name and password (development only)
     * @param keepRealm    keep the realm database of an earlier start (the run command); false: start
     *                     from the realm file
     */
    public static KeycloakServer start(Path distribution, Path home, Path realmFile, int port, Path log,
            String[] admin, boolean keepRealm) throws IOException {
        Path server = unpack(distribution, home);
        Path data = server.resolve("data");
        if (!keepRealm) {
            deleteTree(data.resolve("h2"));
        }
        Files.createDirectories(data.resolve("import"));
        Files.copy(realmFile, data.resolve("import").resolve("realm.json"), StandardCopyOption.REPLACE_EXISTING);
        List<String> command = List.of("bash", server.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-host=127.0.0.1", "--http-port=" + port,
                "--hostname=http://127.0.0.1:" + port, "--import-realm");
        Map<String, String> environment = new java.util.HashMap<>(
                Map.of("KC_BOOTSTRAP_ADMIN_USERNAME", admin[0], "KC_BOOTSTRAP_ADMIN_PASSWORD", admin[1]));
        if (!Suite.testJvmOptions().isEmpty()) {
            environment.put("JAVA_OPTS_APPEND", String.join(" ", Suite.testJvmOptions()));
        }
        KeycloakServer keycloak = new KeycloakServer(command, server, Map.copyOf(environment), log, port);
        keycloak.launch(false);
        return keycloak;
    }

    private synchronized void launch(boolean appendToLog) throws IOException {
        process = ChildProcess.start("keycloak", command, server, environment, log, appendToLog);
        last = process;
    }

    /**
     * Stops the server, as an outage of the identity provider would (the fault tests): nothing
     * answers on its port until {@link #restart()}. Its database is kept.
     */
    public synchronized void stop() {
        if (process != null) {
            process.close();
            process = null;
        }
    }

    /**
     * Starts the server again after {@link #stop()} on the same port and database: the realm, its
     * keys and the changes made to it since the first start are kept (the realm file is not imported
     * again over an existing realm), the log is appended to. Returns at once (see {@link #awaitReady}).
     */
    public synchronized void restart() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("Keycloak is running");
        }
        launch(true);
    }

    /** Whether the server's process runs (it may not answer yet). */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Waits until the realm's discovery document is served. */
    public KeycloakServer awaitReady(Duration timeout) {
        ChildProcess running;
        synchronized (this) {
            running = process;
        }
        if (running == null) {
            throw new IllegalStateException("Keycloak is stopped");
        }
        running.awaitHttpOk(URI.create(issuer() + "/.well-known/openid-configuration"), timeout);
        return this;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public String issuer() {
        return url() + "/realms/" + REALM;
    }

    public String tokenEndpoint() {
        return issuer() + "/protocol/openid-connect/token";
    }

    /** The pid of the server's current process (or of the last one, while it is stopped). */
    public synchronized long pid() {
        return last.pid();
    }

    private static Path unpack(Path distribution, Path home) throws IOException {
        Path marker = home.resolve(".unpacked-" + distribution.getFileName() + "-" + Files.size(distribution));
        if (Files.exists(marker)) {
            try (Stream<Path> entries = Files.list(home)) {
                return entries.filter(p -> p.getFileName().toString().startsWith("keycloak-") && Files.isDirectory(p))
                        .findFirst().orElseThrow();
            }
        }
        deleteTree(home);
        Files.createDirectories(home);
        Path top = null;
        try (InputStream in = Files.newInputStream(distribution); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null;) {
                Path target = home.resolve(entry.getName()).normalize();
                if (!target.startsWith(home)) {
                    throw new IOException("Unsafe entry in " + distribution + ": " + entry.getName());
                }
                if (top == null) {
                    top = home.resolve(home.relativize(target).getName(0));
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(zip, target, StandardCopyOption.REPLACE_EXISTING);
                    if (target.getFileName().toString().endsWith(".sh")) {
                        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                    }
                }
            }
        }
        Files.createFile(marker);
        return top;
    }

    static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    @Override
    public void close() {
        stop();
    }
}
