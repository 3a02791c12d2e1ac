package be.needtoknow.common.problem;

import java.util.Optional;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * A request that announces a body over {@code quarkus.http.limits.max-body-size} is refused as a
 * 413 problem, like every other refusal, before any of the body is read. Quarkus' own check (just
 * after this one) would answer the same status with an empty body. As there, the connection is
 * closed after the answer: the rest of the body is never read. (A body without a length that grows
 * over the limit is cut off by Quarkus while it is read.)
 */
@Singleton
public class BodyTooLarge {

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    Optional<MemorySize> limit;

    @Inject
    ObjectMapper json;

    void install(@Observes Router router) {
        if (limit.isEmpty()) {
            return;
        }
        long max = limit.get().asLongValue();
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(context -> refuseOver(context, max));
    }

    private void refuseOver(RoutingContext context, long max) {
        String announced = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        long length;
        try {
            length = announced == null ? -1 : Long.parseLong(announced.trim());
        } catch (NumberFormatException e) {
            length = -1; // not ours to judge: the HTTP layer refuses a malformed length
        }
        if (length <= max) {
            context.next();
            return;
        }
        Problem problem = Problem.of(413, "body-too-large", "Request body too large",
                "A request body may hold at most " + describe(max) + "; this one announced " + length + " bytes.")
                .withInstance(context.normalizedPath());
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            body = "";
        }
        context.response().setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .endHandler(ended -> context.request().connection().close())
                .end(body);
    }

    /** "4 MB (4194304 bytes)", or the bytes alone when the limit is no whole number of MB. */
    static String describe(long bytes) {
        long mb = 1024L * 1024L;
        return bytes % mb == 0 ? bytes / mb + " MB (" + bytes + " bytes)" : bytes + " bytes";
    }
}
