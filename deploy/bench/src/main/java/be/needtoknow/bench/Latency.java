package be.needtoknow.bench;

import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/** Latencies in nanoseconds (HdrHistogram, three significant digits), reported in milliseconds. */
final class Latency {

    private static final long HIGHEST = TimeUnit.MINUTES.toNanos(5);

    private final Histogram histogram = new Histogram(HIGHEST, 3);

    void record(long nanos) {
        histogram.recordValue(Math.max(1, Math.min(nanos, HIGHEST)));
    }

    /** Adds another (a client's own) to this one. */
    void add(Latency other) {
        histogram.add(other.histogram);
    }

    long count() {
        return histogram.getTotalCount();
    }

    /** The percentile (0–100), in milliseconds. */
    double millis(double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1e6;
    }

    double p50() {
        return millis(50);
    }

    double p99() {
        return millis(99);
    }

    double p999() {
        return millis(99.9);
    }

    double max() {
        return histogram.getMaxValue() / 1e6;
    }
}
