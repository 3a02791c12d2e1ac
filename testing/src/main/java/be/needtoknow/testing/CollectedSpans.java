package be.needtoknow.testing;

import java.util.Collection;
import java.util.List;

import jakarta.inject.Singleton;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * The spans exactly as an exporter gets them (Quarkus hands every SpanExporter bean the finished
 * spans), kept in OpenTelemetry's in-memory exporter while a test collects them, and dropped
 * otherwise: the other test classes of this module make spans too, which nobody needs to keep.
 * A bean of the services' tests that use it: their test profile indexes this module
 * (quarkus.index-dependency.ntk-stack) and they bring opentelemetry-sdk-testing.
 */
@Singleton
public class CollectedSpans implements SpanExporter {

    private final InMemorySpanExporter memory = InMemorySpanExporter.create();
    private volatile boolean collecting;

    /** Forgets what was collected and collects from now on. */
    public void start() {
        memory.reset();
        collecting = true;
    }

    /** Stops collecting and forgets. */
    public void stop() {
        collecting = false;
        memory.reset();
    }

    public List<SpanData> finished() {
        return memory.getFinishedSpanItems();
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        return collecting ? memory.export(spans) : CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
