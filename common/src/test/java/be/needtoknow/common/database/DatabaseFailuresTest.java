package be.needtoknow.common.database;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

class DatabaseFailuresTest {

    @Test
    void aRefusedOrLostDatabaseConnectionAnywhereInTheCausesIsUnavailability() {
        assertTrue(DatabaseFailures.unavailable(new IllegalStateException("wrapped",
                new RuntimeException(new SQLException("Connection refused", "08001")))));
        assertTrue(DatabaseFailures.unavailable(new SQLException("I/O error", "08006")));
        assertTrue(DatabaseFailures.unavailable(new SQLException("terminating connection", "57P01")));
        assertTrue(DatabaseFailures.unavailable(new SQLException("the database system is starting up", "57P03")));
    }

    @Test
    void otherFailuresAreNot() {
        assertFalse(DatabaseFailures.unavailable(new SQLException("duplicate key", "23505")));
        assertFalse(DatabaseFailures.unavailable(new SQLException("no state")));
        assertFalse(DatabaseFailures.unavailable(new IllegalStateException("bug")));
    }

    /** A lost race is a 409 in every service, never a 500: a unique key taken meanwhile, a serialization failure, a deadlock. */
    @Test
    void aLostRaceAnywhereInTheCausesIsAConflict() {
        assertTrue(DatabaseFailures.conflict(new IllegalStateException("commit failed",
                new RuntimeException(new SQLException("duplicate key value violates unique constraint", "23505")))));
        assertTrue(DatabaseFailures.conflict(new SQLException("could not serialize access", "40001")));
        assertTrue(DatabaseFailures.conflict(new SQLException("deadlock detected", "40P01")));
        assertFalse(DatabaseFailures.conflict(new SQLException("null value in column", "23502")));
        assertFalse(DatabaseFailures.conflict(new SQLException("Connection refused", "08001")));
        assertFalse(DatabaseFailures.conflict(new IllegalStateException("bug")));
    }
}
