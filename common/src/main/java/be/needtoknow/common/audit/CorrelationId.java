package be.needtoknow.common.audit;

import java.util.UUID;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import be.needtoknow.common.tracing.TraceContext;
import io.vertx.ext.web.RoutingContext;

/**
 * The correlation id of the current request, the same for every audit record of the request:
 * <ul>
 * <li>the caller's {@value #HEADER} header, when it is a plausible id (the caller's own reference,
 * e.g. a school platform's request id: an integration that sends one finds it back in the DPO's
 * trail, as before). The request is traced all the same; its trace id travels beside it, in the
 * Kafka record's {@code ce_traceparent} and in the log lines.</li>
 * <li>otherwise the request's trace id: a caller that sends a W3C {@code traceparent}
 * finds its own trace id as the record's correlation id, and an operator goes from an audit record
 * to the trace, and back, with one id.</li>
 * <li>a fresh UUID only where no trace is under way.</li>
 * </ul>
 * So when both come, the header wins for the correlation id and the traceparent for the trace.
 */
@RequestScoped
public class CorrelationId {

    public static final String HEADER = "X-Correlation-Id";

    @Inject
    Instance<RoutingContext> routingContext;

    private String value;

    @PostConstruct
    void init() {
        String given = null;
        if (routingContext.isResolvable()) {
            try {
                given = routingContext.get().request().getHeader(HEADER);
            } catch (RuntimeException e) {
                given = null; // not an HTTP request
            }
        }
        value = given != null && given.matches("[A-Za-z0-9._:-]{1,64}") ? given : ofCurrentTrace();
    }

    public String value() {
        return value;
    }

    /**
     * The correlation id of work without a request: the trace id of a scheduled job's run (Quarkus traces
     * each run), or a fresh UUID where no trace is under way (the outbox relay's own records).
     */
    public static String ofCurrentTrace() {
        String traceId = TraceContext.currentTraceId();
        return traceId != null ? traceId : UUID.randomUUID().toString();
    }
}
