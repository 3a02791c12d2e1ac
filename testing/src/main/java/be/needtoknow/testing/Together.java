package be.needtoknow.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Many attempts at once, for the race tests: each on a thread of its own, all released
 * at the same moment once every one is ready, so that they meet in the service rather than one
 * after the other.
 */
public final class Together {

    /** One attempt; n is its number, 0 to count - 1. */
    @FunctionalInterface
    public interface Attempt<T> {
        T run(int n) throws Exception;
    }

    private Together() {
    }

    /** Runs count attempts together and returns their results in the attempts' order. */
    public static <T> List<T> attempts(int count, Attempt<T> attempt) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch ready = new CountDownLatch(count);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    start.await();
                    return attempt.run(n);
                }));
            }
            if (!ready.await(60, TimeUnit.SECONDS)) {
                throw new AssertionError("the attempts did not all start");
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(120, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
