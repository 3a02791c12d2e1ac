package be.needtoknow.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The audit lag under load: for every {@code every}-th note write (a 201 in the measured window), the
 * time from the 201 arriving at the client to its audit record being visible in the trail.
 * <p>
 * A poller thread reads the audit database (as its owner) every {@link #POLL}: the rows after the
 * highest position it has seen, and for each {@code note.write} its resource id (the note's id, in
 * the stored record's JSON) and {@code received_at}. A record is taken as stored at the start of the
 * first poll that sees it, so the lag is an upper bound, coarse by up to one poll interval (plus the
 * query's own time). Beside it, the lag to audit-service's own {@code received_at} (its clock, taken
 * before it inserts the batch; the same machine's clock as the client's).
 */
final class AuditLag implements AutoCloseable {

    static final Duration POLL = Duration.ofMillis(20);

    private final Connection connection;
    private final int every;
    private final AtomicLong writes = new AtomicLong();
    /** Sampled note → when its 201 arrived (nanoTime, and the wall clock). */
    private final Map<UUID, Sample> samples = new ConcurrentHashMap<>();
    /** Every note.write the poller saw → the start of that poll (nanoTime), and its received_at. */
    private final Map<UUID, Seen> seen = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Thread poller;

    private record Sample(long nanos, Instant wall) {
    }

    private record Seen(long nanos, Instant receivedAt) {
    }

    /** What was measured: lag to visible, lag to received_at, and the samples the poller never saw. */
    record Figures(Latency visible, Latency received, long samples, long unseen, long receivedBefore201) {
    }

    AuditLag(Connection connection, int every) throws SQLException {
        this.connection = connection;
        this.every = every;
        long from;
        try (Statement s = connection.createStatement();
                ResultSet r = s.executeQuery("select coalesce(max(position), 0) from audit_record")) {
            r.next();
            from = r.getLong(1);
        }
        poller = new Thread(() -> poll(from), "audit-lag-poller");
        poller.setDaemon(true);
        poller.start();
    }

    /** Called by a client right after a 201 in the measured window: every {@code every}-th is a sample. */
    void wrote(UUID note) {
        long nanos = System.nanoTime();
        Instant wall = Instant.now();
        if (writes.incrementAndGet() % every == 0) {
            samples.put(note, new Sample(nanos, wall));
        }
    }

    private void poll(long from) {
        long after = from;
        try (PreparedStatement s = connection.prepareStatement("""
                select position, received_at,
                       case when action = 'note.write' and outcome = 'GRANTED'
                            then cast(record as jsonb) ->> 'resourceId' end
                from audit_record where position > ? order by position""")) {
            while (running.get()) {
                long t = System.nanoTime();
                s.setLong(1, after);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        after = Math.max(after, r.getLong(1));
                        String id = r.getString(3);
                        if (id != null) {
                            Timestamp received = r.getTimestamp(2);
                            seen.putIfAbsent(UUID.fromString(id), new Seen(t, received.toInstant()));
                        }
                    }
                }
                Load.sleepUntilQuietly(t + POLL.toNanos());
            }
        } catch (SQLException | RuntimeException e) {
            failure.set(e);
        }
    }

    /** Stops the poller (call once the trail caught up) and computes the figures. */
    Figures stop() throws Exception {
        running.set(false);
        poller.join(10_000);
        if (failure.get() != null) {
            throw new IllegalStateException("the audit lag poller failed", failure.get());
        }
        Latency visible = new Latency();
        Latency received = new Latency();
        long unseen = 0;
        long early = 0;
        for (Map.Entry<UUID, Sample> e : samples.entrySet()) {
            Seen s = seen.get(e.getKey());
            if (s == null) {
                unseen++;
                continue;
            }
            visible.record(s.nanos() - e.getValue().nanos());
            long toReceived = Duration.between(e.getValue().wall(), s.receivedAt()).toNanos();
            if (toReceived <= 0) {
                early++;
            }
            received.record(toReceived);
        }
        return new Figures(visible, received, samples.size(), unseen, early);
    }

    @Override
    public void close() throws SQLException {
        running.set(false);
        connection.close();
    }
}
