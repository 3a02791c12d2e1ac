package be.needtoknow.common.tracing;

import java.util.HashMap;
import java.util.Map;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * The W3C trace context ({@code traceparent}) as it travels with the outbox (docs/operations.md,
 * "Tracing"): read from the current span when an event is appended, stored with the event, put on
 * the Kafka record as the CloudEvents distributed-tracing extension ({@code ce_traceparent}) and read
 * back by a consumer. Always the W3C format, whatever propagators the service configures for HTTP:
 * the CloudEvents extension is defined as W3C Trace Context. The text is written and parsed by
 * OpenTelemetry's own propagator, not by hand.
 */
public final class TraceContext {

    /** The W3C header, and the CloudEvents extension attribute of the same name. */
    public static final String TRACEPARENT = "traceparent";

    private static final TextMapGetter<String> ONE_VALUE = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return java.util.List.of(TRACEPARENT);
        }

        @Override
        public String get(String carrier, String key) {
            return TRACEPARENT.equals(key) ? carrier : null;
        }
    };

    private TraceContext() {
    }

    /** The traceparent of the current span, or null when no trace is under way (work outside a traced request). */
    public static String currentTraceparent() {
        Context current = Context.current();
        if (!Span.fromContext(current).getSpanContext().isValid()) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>(2);
        W3CTraceContextPropagator.getInstance().inject(current, carrier, Map::put);
        return carrier.get(TRACEPARENT);
    }

    /** The trace id of the current span (32 lower-case hex digits), or null when no trace is under way. */
    public static String currentTraceId() {
        SpanContext span = Span.current().getSpanContext();
        return span.isValid() ? span.getTraceId() : null;
    }

    /**
     * The context to continue from a stored or received traceparent: a remote parent, or the root
     * context (a new trace) when there is none or it is not a valid traceparent.
     */
    public static Context parentOf(String traceparent) {
        if (traceparent == null || traceparent.isEmpty()) {
            return Context.root();
        }
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, ONE_VALUE);
    }
}
