package be.needtoknow.common.database;

import java.sql.SQLException;

/** Tells a database that cannot be reached from a failure of the work itself. */
public final class DatabaseFailures {

    private DatabaseFailures() {
    }

    /**
     * True if a connection was refused or lost (SQLState class 08), or the server is shutting down
     * or starting (57P01-57P03), anywhere in the chain of causes: the work may succeed once the
     * database is back.
     */
    public static boolean unavailable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().matches("57P0[123]"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * True if the work lost a race with another transaction: a unique key taken meanwhile (23505),
     * a serialization failure (40001) or a deadlock (40P01). The request changed nothing (its
     * transaction rolled back) and may be tried again against the state as it now is.
     */
    public static boolean conflict(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().equals("23505") || sql.getSQLState().equals("40001")
                            || sql.getSQLState().equals("40P01"))) {
                return true;
            }
        }
        return false;
    }
}
