package be.needtoknow.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Note writes by concurrent clients: each client writes notes to its own case file, one request
 * after the other (a closed loop), as the counsellor with a token of its own, for a warm-up and
 * then for the measured duration.
 */
final class NoteWrites {

    private static final String NOTE = "{\"kind\": \"CONVERSATION\", \"visibility\": \"CARE_TEAM\", "
            + "\"text\": \"Benchmark note: synthetic text, about no one.\"}";

    private NoteWrites() {
    }

    /** Writes per second in the measured window, their latency, writes that were refused or failed, and all 201s. */
    record Result(int clients, double perSecond, Latency latency, long errors, long stored) {
    }

    /**
     * @param caseFileUrls one case file per client ({@code .../case-files/<id>})
     * @param atStart      run by the calling thread when the measured window begins
     * @param atEnd        run by the calling thread just before the measured window ends, while the clients still write
     */
    static Result run(Api api, List<String> caseFileUrls, List<Api.Token> tokens, Duration warmUp, Duration duration,
            Runnable atStart, Runnable atEnd) throws Exception {
        int clients = caseFileUrls.size();
        for (Api.Token token : tokens) {
            token.get(); // fetched before the clock starts
        }
        long start = System.nanoTime();
        long measureFrom = start + warmUp.toNanos();
        long end = measureFrom + duration.toNanos();
        AtomicLong measured = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong stored = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        List<Latency> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            String url = caseFileUrls.get(i) + "/notes";
            Api.Token token = tokens.get(i);
            Latency latency = new Latency();
            latencies.add(latency);
            Thread t = new Thread(() -> {
                while (true) {
                    String bearer = token.get(); // outside the timed request
                    long t0 = System.nanoTime();
                    if (t0 >= end) {
                        return;
                    }
                    int status;
                    try {
                        status = api.post(url, bearer, NOTE).status();
                    } catch (Exception e) {
                        status = -1;
                        firstError.compareAndSet(null, e.getClass().getSimpleName() + ": " + e.getMessage());
                    }
                    long t1 = System.nanoTime();
                    if (status == 201) {
                        stored.incrementAndGet();
                    } else {
                        errors.incrementAndGet();
                        if (status > 0) {
                            firstError.compareAndSet(null, "HTTP " + status);
                        }
                    }
                    if (t0 >= measureFrom && status == 201) {
                        latency.record(t1 - t0);
                        measured.incrementAndGet();
                    }
                }
            }, "note-client-" + i);
            t.start();
            threads.add(t);
        }
        sleepUntil(measureFrom);
        atStart.run();
        sleepUntil(end - Duration.ofMillis(500).toNanos());
        atEnd.run();
        for (Thread t : threads) {
            t.join();
        }
        // The window closes when the last request that started in it has its answer.
        double seconds = (System.nanoTime() - measureFrom) / 1e9;
        if (firstError.get() != null) {
            System.err.println("  note writes at " + clients + " clients: " + errors.get() + " failed, the first: "
                    + firstError.get());
        }
        Latency all = new Latency();
        latencies.forEach(all::add);
        return new Result(clients, measured.get() / seconds, all, errors.get(), stored.get());
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, left / 1_000_000));
        }
    }
}
