package be.needtoknow.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server from the binaries that io.zonky.test ships on Maven Central. With a data
 * directory it keeps its state between runs (the run command); without one it starts empty in a
 * temporary directory (the tests).
 * <p>
 * {@link Durability#DURABLE} (the run command, the benchmarks, the end-to-end tests): a commit is
 * on disk before it is acknowledged, so a crash of PostgreSQL or of the machine loses no
 * acknowledged write. zonky starts the postmaster with {@code -F} (fsync off) and
 * {@code synchronous_commit=off}; the {@code -c} settings given here come after those on the command
 * line and win.
 */
public final class PostgresServer implements AutoCloseable {

    /** Whether a commit waits for the disk. */
    public enum Durability {
        /** fsync, synchronous commit and full page writes on, tuned for a small server (two cores). */
        DURABLE(Map.ofEntries(
                Map.entry("fsync", "on"),
                Map.entry("synchronous_commit", "on"),
                Map.entry("full_page_writes", "on"),
                // A DBA's settings for this size of machine: a cache that holds the working set, WAL
                // segments compressed and few checkpoints (each forces full page images again).
                Map.entry("shared_buffers", "256MB"),
                Map.entry("wal_buffers", "16MB"),
                Map.entry("max_wal_size", "2GB"),
                Map.entry("checkpoint_timeout", "15min"),
                Map.entry("checkpoint_completion_target", "0.9"),
                Map.entry("wal_compression", "on"))),
        /**
         * The services' own test stack only, whose tests prove no durability property: a crash there
         * loses nothing anyone relies on. No write waits for the disk.
         */
        FAST_FOR_TESTS(Map.of("fsync", "off", "synchronous_commit", "off", "full_page_writes", "off"));

        private final Map<String, String> settings;

        Durability(Map<String, String> settings) {
            this.settings = settings;
        }

        /** The server settings, as {@code SHOW} names them. */
        public Map<String, String> settings() {
            return settings;
        }
    }

    /** The settings {@code deploy/suite.sh status} prints: what a crash may cost. */
    public static final java.util.List<String> DURABILITY_SETTINGS = java.util.List.of("fsync", "synchronous_commit",
            "full_page_writes", "wal_sync_method", "shared_buffers", "max_wal_size", "wal_compression", "commit_delay");

    private final EmbeddedPostgres postgres;

    private PostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** @param dataDirectory null for a throw-away server; @param port 0 for a free port */
    public static PostgresServer start(Path dataDirectory, int port, Durability durability) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "200");
        durability.settings().forEach(builder::setServerConfig);
        if (port > 0) {
            builder.setPort(port);
        }
        if (dataDirectory != null) {
            Files.createDirectories(dataDirectory);
            stopOrphan(dataDirectory);
            builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
        }
        return new PostgresServer(builder.start());
    }

    /**
     * A launcher killed hard leaves its PostgreSQL running on the data directory; stop it, or the
     * next start finds the data directory locked.
     */
    public static void stopOrphan(Path dataDirectory) throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
        try {
            long pid = Long.parseLong(first);
            ProcessHandle.of(pid).ifPresent(orphan -> {
                // SIGTERM is PostgreSQL's "smart" shutdown; wait, then insist.
                orphan.destroy();
                try {
                    orphan.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    orphan.destroyForcibly();
                }
            });
        } catch (NumberFormatException e) {
            // not a pid: a half-written file, removed below
        }
        Files.deleteIfExists(pidFile);
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    /** A connection to the database as the server's superuser (fault tests use it to inject failures). */
    public Connection connectAsSuperuser(String database) throws SQLException {
        return postgres.getDatabase("postgres", identifier(database)).getConnection();
    }

    /** The server's current value of each setting ({@code SHOW}), in the order given. */
    public Map<String, String> show(java.util.List<String> names) throws SQLException {
        Map<String, String> values = new java.util.LinkedHashMap<>();
        try (Connection admin = postgres.getPostgresDatabase().getConnection(); Statement s = admin.createStatement()) {
            for (String name : names) {
                try (ResultSet rs = s.executeQuery("show " + identifier(name))) {
                    rs.next();
                    values.put(name, rs.getString(1));
                }
            }
        }
        return values;
    }

    /**
     * Creates, if missing, a login role and a database it owns: each service its own database and
     * its own non-superuser role (the audit log's append-only grants rely on that).
     */
    public void ensureDatabase(String database, String user, String password) throws SQLException {
        ensureRole(user, password);
        try (Connection admin = postgres.getPostgresDatabase().getConnection()) {
            if (!exists(admin, "select 1 from pg_database where datname = ?", database)) {
                try (Statement s = admin.createStatement()) {
                    s.execute("create database " + identifier(database) + " owner " + identifier(user));
                }
            }
        }
    }

    /** Creates, if missing, a login role (not a superuser, owning nothing: what it may do, migrations grant). */
    public void ensureRole(String user, String password) throws SQLException {
        try (Connection admin = postgres.getPostgresDatabase().getConnection()) {
            if (!exists(admin, "select 1 from pg_roles where rolname = ?", user)) {
                try (Statement s = admin.createStatement()) {
                    s.execute("create role " + identifier(user) + " login password '" + password.replace("'", "''") + "'");
                }
            }
        }
    }

    private static boolean exists(Connection c, String sql, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static String identifier(String name) {
        if (!name.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("Not a plain identifier: " + name);
        }
        return name;
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
