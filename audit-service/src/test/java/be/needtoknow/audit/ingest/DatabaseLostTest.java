package be.needtoknow.audit.ingest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;

import javax.transaction.xa.XAException;

import org.junit.jupiter.api.Test;

/**
 * Which failures of an append ingest waits out (the database lost) and which stop it: a connection
 * dropped at the commit reaches ingest as the transaction manager's rollback, the driver's failure
 * suppressed in it, not as its cause.
 */
class DatabaseLostTest {

    @Test
    void aConnectionLostAtTheCommitIsWaitedOut() {
        XAException xa = new XAException("Error trying to transactionCommit local transaction");
        xa.initCause(new SQLException("FATAL: terminating connection due to administrator command", "57P01"));
        Exception rollback = new Exception("Could not commit transaction");
        rollback.addSuppressed(xa);
        assertTrue(AuditLog.unavailable(new RuntimeException(rollback)));
    }

    @Test
    void aLostConnectionAsTheCauseIsWaitedOut() {
        assertTrue(AuditLog.unavailable(new IllegalStateException(new SQLException("I/O error", "08006"))));
    }

    @Test
    void anyOtherFailureStopsIngest() {
        Exception rollback = new Exception("Could not commit transaction");
        rollback.addSuppressed(new SQLException("duplicate key value", "23505"));
        assertFalse(AuditLog.unavailable(new RuntimeException(rollback)));
        assertFalse(AuditLog.unavailable(new IllegalStateException("The audit log appends nothing: rows not in the tree")));
    }
}
