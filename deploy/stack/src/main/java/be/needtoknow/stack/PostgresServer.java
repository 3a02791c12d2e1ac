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

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server from the binaries that io.zonky.test ships on Maven Central. With a data
 * directory it keeps its state between runs (the run command); without one it starts empty in a
 * temporary directory (the tests).
 */
public final class PostgresServer implements AutoCloseable {

    private final EmbeddedPostgres postgres;

    private PostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** @param dataDirectory null for a throw-away server; @param port 0 for a free port */
    public static PostgresServer start(Path dataDirectory, int port) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "200");
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
