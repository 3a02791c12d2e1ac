package be.needtoknow.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Load on one of the suite's requests, in two shapes:
 * <ul>
 * <li>a <b>closed loop</b>: each client sends its next request when the previous one answered;
 * latency is from the request's start to its answer;</li>
 * <li>an <b>open loop</b>: requests are due at a constant rate (request k at start + k ÷ rate), taken
 * from one shared schedule by a pool of workers, each sending one request at a time; latency is from
 * the time the request was <em>due</em> to its answer, so that a request that waited for a free
 * worker, or for a server that fell behind, counts its wait (coordinated omission corrected).</li>
 * </ul>
 * Both run a warm-up, then the measured window; a request counts when it started (closed) or was due
 * (open) in the window, and the window closes when the last such request has its answer.
 */
final class Load {

    private Load() {
    }

    /**
     * One request by one client or worker; it throws when the request failed (the message names the
     * status, never a body or token).
     */
    interface Request {
        /**
         * @param client   the client's (or worker's) index
         * @param bearer   its access token
         * @param measured whether the request belongs to the measured window
         */
        void send(int client, String bearer, boolean measured) throws Exception;
    }

    /**
     * The measured window's successful requests per second and their latency (its count is the
     * sample count), the requests that failed (window and warm-up), and all successful requests.
     */
    record Result(int clients, double perSecond, Latency latency, long errors, long succeeded) {

        long samples() {
            return latency.count();
        }
    }

    /**
     * A closed loop: {@code tokens.size()} clients, each one request after the other.
     *
     * @param atStart run by the calling thread when the measured window begins
     * @param atEnd   run by the calling thread just before the measured window ends, while the clients still send
     */
    static Result closed(String what, List<Api.Token> tokens, Request request, Duration warmUp, Duration duration,
            Runnable atStart, Runnable atEnd) throws Exception {
        return closed(what, tokens, request, warmUp, duration, 0, atStart, atEnd);
    }

    /**
     * The same; when the window would hold fewer than {@code minSamples} successful requests (as
     * projected from its rate so far, half a second before its end), the window is lengthened to
     * hold them, to at most three times {@code duration}.
     */
    static Result closed(String what, List<Api.Token> tokens, Request request, Duration warmUp, Duration duration,
            long minSamples, Runnable atStart, Runnable atEnd) throws Exception {
        int clients = tokens.size();
        for (Api.Token token : tokens) {
            token.get(); // fetched before the clock starts
        }
        long start = System.nanoTime();
        long measureFrom = start + warmUp.toNanos();
        AtomicLong endAt = new AtomicLong(measureFrom + duration.toNanos());
        Counters counters = new Counters();
        List<Latency> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            int client = i;
            Api.Token token = tokens.get(i);
            Latency latency = new Latency();
            latencies.add(latency);
            Thread t = new Thread(() -> {
                while (true) {
                    String bearer = token.get(); // outside the timed request
                    long t0 = System.nanoTime();
                    if (t0 >= endAt.get()) {
                        return;
                    }
                    boolean measured = t0 >= measureFrom;
                    if (counters.send(request, client, bearer, measured) && measured) {
                        latency.record(System.nanoTime() - t0);
                    }
                }
            }, what + "-client-" + i);
            t.start();
            threads.add(t);
        }
        sleepUntil(measureFrom);
        atStart.run();
        long half = Duration.ofMillis(500).toNanos();
        sleepUntil(endAt.get() - half);
        long sofar = counters.measured.get();
        if (sofar < minSamples) {
            double elapsed = System.nanoTime() - measureFrom;
            double needed = sofar == 0 ? 3.0 * duration.toNanos() : elapsed * minSamples / sofar * 1.02;
            long longer = measureFrom + (long) Math.min(3.0 * duration.toNanos(), needed);
            if (longer > endAt.get()) {
                endAt.set(longer);
                System.err.println("  " + what + " at " + clients + " clients: the window lengthened to "
                        + Math.round((longer - measureFrom) / 1e9) + " s for " + minSamples + " samples");
                sleepUntil(longer - half);
            }
        }
        atEnd.run();
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - measureFrom) / 1e9;
        return counters.result(what, clients, latencies, seconds);
    }

    /**
     * An open loop: requests due at {@code perSecond}, sent by {@code workers} workers (worker w uses
     * token w mod the tokens' number), latency from the time each was due.
     */
    static Result open(String what, List<Api.Token> tokens, int workers, double perSecond, Request request,
            Duration warmUp, Duration duration) throws Exception {
        for (Api.Token token : tokens) {
            token.get();
        }
        double interval = 1e9 / perSecond;
        long start = System.nanoTime() + Duration.ofMillis(100).toNanos();
        long measureFrom = start + warmUp.toNanos();
        long end = measureFrom + duration.toNanos();
        AtomicLong next = new AtomicLong();
        Counters counters = new Counters();
        List<Latency> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            int worker = i;
            Api.Token token = tokens.get(i % tokens.size());
            Latency latency = new Latency();
            latencies.add(latency);
            Thread t = new Thread(() -> {
                while (true) {
                    long due = start + Math.round(next.getAndIncrement() * interval);
                    if (due >= end) {
                        return;
                    }
                    sleepUntilQuietly(due);
                    String bearer = token.get();
                    boolean measured = due >= measureFrom;
                    if (counters.send(request, worker, bearer, measured) && measured) {
                        latency.record(System.nanoTime() - due);
                    }
                }
            }, what + "-worker-" + i);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - measureFrom) / 1e9;
        return counters.result(what, workers, latencies, seconds);
    }

    /** What the clients counted together. */
    private static final class Counters {
        final AtomicLong measured = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong succeeded = new AtomicLong();
        final AtomicReference<String> firstError = new AtomicReference<>();

        boolean send(Request request, int client, String bearer, boolean inWindow) {
            try {
                request.send(client, bearer, inWindow);
            } catch (Exception e) {
                errors.incrementAndGet();
                firstError.compareAndSet(null, e.getClass().getSimpleName() + ": " + e.getMessage());
                return false;
            }
            succeeded.incrementAndGet();
            if (inWindow) {
                measured.incrementAndGet();
            }
            return true;
        }

        Result result(String what, int clients, List<Latency> latencies, double seconds) {
            if (firstError.get() != null) {
                System.err.println("  " + what + " at " + clients + " clients: " + errors.get() + " failed, the first: "
                        + firstError.get());
            }
            Latency all = new Latency();
            latencies.forEach(all::add);
            return new Result(clients, measured.get() / seconds, all, errors.get(), succeeded.get());
        }
    }

    static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, left / 1_000_000));
        }
    }

    /** Parks until the time (sub-millisecond: a schedule's step may be well under 1 ms). */
    static void sleepUntilQuietly(long nanoTime) {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }
}
