package be.needtoknow.common.tracing;

import java.net.URI;
import java.util.List;
import java.util.Set;

import jakarta.inject.Singleton;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * No pupil id, case-file id, link secret, token or content in a span (N2; docs/operations.md,
 * "Tracing"). The instrumentation of Quarkus puts the request's real path and query on every HTTP
 * server span ({@code url.path}, {@code url.query}) and the real URL on every client span
 * ({@code url.full}): here a path is /case-files/{id}/notes with a real case-file id, /pupils/{id}
 * with a pupil id, /access/{secret} with a parent's link secret. This processor, which runs when a
 * span starts (before any exporter sees it), keeps only the text attributes known to be structure
 * (method, scheme, host, protocol, the endpoint template {@code http.route}, the messaging
 * attributes this suite sets itself) and replaces every other text attribute by {@value #REDACTED}:
 * an allow-list, so that an attribute a future instrumentation adds is hidden until someone decides
 * it is safe. The endpoint template stays, in {@code http.route} and in the span's name
 * ("POST /case-files/{id}/notes"), which Quarkus sets from the REST method's path template; a client
 * span keeps its URL's origin. Attributes are replaced, not removed, since the SDK cannot remove one.
 * <p>
 * What is set after the start carries no request data: the route, the status code, error.type (an
 * exception's class), code.function.name. Exception events (whose messages may quote data) are not
 * recorded at all: quarkus.otel.span.event.count.limit=0 (common's configuration). No SQL is traced
 * (the JDBC instrumentation is off), and the outbox relay and audit ingest spans carry no payload,
 * no key and no subject (OutboxRelay, AuditIngest). CaseServiceTracingTest proves it with an
 * in-memory exporter.
 */
@Singleton
public class SpanRedaction implements SpanProcessor {

    /** What stands in for a hidden value. */
    public static final String REDACTED = "redacted";

    /** Text attributes kept as they are: none of them holds anything of a request's path, query or body. */
    static final Set<String> KEPT = Set.of(
            "http.request.method", "http.request.method_original", "http.route", "url.scheme",
            "server.address", "client.address", "network.peer.address", "network.local.address",
            "network.protocol.name", "network.protocol.version", "network.transport", "network.type",
            "error.type", "code.function.name", "code.namespace", "code.function", "thread.name",
            "messaging.system", "messaging.operation", "messaging.operation.type", "messaging.operation.name",
            "messaging.destination.name", "messaging.destination.partition.id", "messaging.message.id",
            "messaging.consumer.group.name",
            "cloudevents.event_type", "cloudevents.event_id", "cloudevents.event_source");

    private static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        span.getAttributes().forEach((key, value) -> {
            if (KEPT.contains(key.getKey())) {
                return;
            }
            if (key.getType() == AttributeType.STRING) {
                span.setAttribute(key.getKey(), key.equals(URL_FULL) ? origin((String) value) : REDACTED);
            } else if (key.getType() == AttributeType.STRING_ARRAY) {
                span.setAttribute(AttributeKey.stringArrayKey(key.getKey()), List.of(REDACTED));
            }
        });
    }

    /** A URL's scheme, host and port, without its path, query or user info: where a call went, not what it asked. */
    static String origin(String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return REDACTED;
            }
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        } catch (IllegalArgumentException e) {
            return REDACTED;
        }
    }

    @Override
    public boolean isStartRequired() {
        return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {
        // nothing: the attributes were made safe at the start
    }

    @Override
    public boolean isEndRequired() {
        return false;
    }
}
