package be.needtoknow.audit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

import org.postgresql.PGConnection;

/**
 * Rows in PostgreSQL's COPY text format (tab between columns, newline after a row, {@code \N} for
 * null; a backslash, tab, newline or carriage return in a value escaped with a backslash), sent
 * with one COPY ... FROM STDIN on the transaction's own connection. Shared by the ingest (the
 * records) and the tree (its nodes), which sits below the ingest, so it belongs to neither.
 */
public final class CopyText {

    private final StringBuilder out;

    public CopyText(int expectedChars) {
        out = new StringBuilder(expectedChars);
    }

    /** A column value (null: SQL null), followed by the next column. */
    public CopyText value(String value) {
        append(value);
        out.append('\t');
        return this;
    }

    /** The row's last value. */
    public CopyText last(String value) {
        append(value);
        out.append('\n');
        return this;
    }

    private void append(String value) {
        if (value == null) {
            out.append("\\N");
            return;
        }
        int plain = 0;
        while (plain < value.length() && !special(value.charAt(plain))) {
            plain++;
        }
        out.append(value, 0, plain); // most values need no escape: appended whole
        for (int i = plain; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
    }

    private static boolean special(char c) {
        return c == '\\' || c == '\t' || c == '\n' || c == '\r';
    }

    /** The rows so far, in the database's encoding (UTF-8). */
    public byte[] bytes() {
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Copies the rows into {@code copyStatement} ({@code copy <table> (<columns>) from stdin}). */
    public long copyInto(Connection c, String copyStatement) throws SQLException {
        return copy(c, copyStatement, bytes());
    }

    /** Copies rows already in COPY's text format, UTF-8, into {@code copyStatement}. */
    public static long copy(Connection c, String copyStatement, byte[] rows) throws SQLException {
        try {
            // The pool's wrapper gives the driver's own connection: the same one, in the same transaction.
            return c.unwrap(PGConnection.class).getCopyAPI().copyIn(copyStatement, new ByteArrayInputStream(rows), 65536);
        } catch (IOException e) {
            throw new SQLException("Cannot send the rows to COPY", "08006", e);
        }
    }

    /** A timestamptz, to the microsecond (rounded, as the JDBC driver sends one), in UTC. */
    public static String time(OffsetDateTime time) {
        return time(time.toInstant());
    }

    /** The same for an instant. */
    public static String time(Instant time) {
        Instant micros = time.plusNanos(500).truncatedTo(ChronoUnit.MICROS);
        return FORMAT.format(micros.atOffset(ZoneOffset.UTC));
    }

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
}
