package be.needtoknow.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The database of the service under test, as the authorization matrix looks at it: a snapshot of
 * its tables (row count and a checksum of their content, in one SQL statement) to see that a
 * refused write changed nothing, and queries for the relation of a caller to a row's world. It
 * connects as the schema's owner (the migrations' role), which reads every table whatever the
 * service's runtime role may.
 */
public final class MatrixDatabase implements AutoCloseable {

    /**
     * Tables that a refusal changes by design, left out of a snapshot: the outbox, where the
     * refusal's own audit record is stored; the trail of audit-service, where that record lands
     * when ingested (possibly during a later row); case-service's family letters, which its mail
     * sender sends and deletes in the background; and Flyway's history.
     */
    public static final Set<String> NOT_COMPARED = Set.of("outbox_event", "family_letter", "audit_record", "merkle_node",
            "flyway_schema_history");

    private final Connection connection;
    private String snapshotQuery;

    private MatrixDatabase(Connection connection) {
        this.connection = connection;
    }

    /** The service's database, from the test's configuration (TestStack sets it). */
    public static MatrixDatabase fromConfig() {
        Config config = ConfigProvider.getConfig();
        Properties login = new Properties();
        login.setProperty("user", config.getValue("quarkus.flyway.username", String.class));
        login.setProperty("password", config.getValue("quarkus.flyway.password", String.class));
        try {
            Connection connection = new org.postgresql.Driver()
                    .connect(config.getValue("quarkus.datasource.jdbc.url", String.class), login);
            connection.setAutoCommit(true);
            return new MatrixDatabase(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("The matrix cannot reach the service's database", e);
        }
    }

    /** Each compared table → "rows:md5 of its rows as text, in order". One statement. */
    public Map<String, String> snapshot() {
        if (snapshotQuery == null) {
            List<String> tables = strings("select tablename from pg_tables where schemaname = current_schema() "
                    + "order by tablename");
            snapshotQuery = tables.stream().filter(t -> !NOT_COMPARED.contains(t))
                    .map(t -> "select '" + t + "', count(*) || ':' || md5(coalesce(string_agg(x::text, ',' order by "
                            + "x::text), '')) from \"" + t + "\" x")
                    .collect(Collectors.joining(" union all "));
            if (snapshotQuery.isEmpty()) {
                throw new IllegalStateException("No tables to compare in " + tables);
            }
        }
        Map<String, String> snapshot = new TreeMap<>();
        try (PreparedStatement statement = connection.prepareStatement(snapshotQuery);
                ResultSet result = statement.executeQuery()) {
            while (result.next()) {
                snapshot.put(result.getString(1), result.getString(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Snapshot failed", e);
        }
        return snapshot;
    }

    /** The tables that differ between two snapshots, with their counts before and after. */
    public static List<String> changed(Map<String, String> before, Map<String, String> after) {
        List<String> changed = new ArrayList<>();
        before.forEach((table, was) -> {
            String is = after.get(table);
            if (!was.equals(is)) {
                changed.add(table + " (rows " + was.substring(0, was.indexOf(':')) + " → "
                        + (is == null ? "gone" : is.substring(0, is.indexOf(':'))) + ")");
            }
        });
        return changed;
    }

    /**
     * Parks an event the broker would refuse for good (larger than a producer may send), as the
     * relay does, for the rows of {@code /operator/parked-events/{position}}; returns its
     * position. A retry of it is parked again, so a row's call never publishes it.
     */
    public long parkPoisonEvent(String service) {
        List<String> position = strings("insert into outbox_parked (position, event_id, topic, event_key, event_type, "
                + "source, subject, occurred_at, payload, reason_class, reason_message, attempts, parked_at) values ("
                + "nextval(pg_get_serial_sequence('outbox_event', 'position')), gen_random_uuid(), 'ntk.audit.v1', "
                + "'matrix', 'be.needtoknow.test.poison.v1', ?, 'poison/matrix', now(), repeat('x', 1100000), "
                + "'org.apache.kafka.common.errors.RecordTooLargeException', 'the matrix world', 1, now()) "
                + "returning position", "/" + service);
        return Long.parseLong(position.get(0));
    }

    /** Whether the query finds a row. */
    public boolean exists(String sql, Object... parameters) {
        return !strings(sql, parameters).isEmpty();
    }

    /** The first column of each row the query finds, as text. */
    public List<String> strings(String sql, Object... parameters) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            List<String> values = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    values.add(result.getString(1));
                }
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException("Query failed: " + sql, e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // nothing left to do
        }
    }
}
