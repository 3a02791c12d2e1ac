package be.needtoknow.common.audit;

import java.util.UUID;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import io.vertx.ext.web.RoutingContext;

/**
 * The correlation id of the current request: the caller's {@value #HEADER} header when it is a
 * plausible id, otherwise a fresh UUID, the same for every audit record of the request.
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
        value = given != null && given.matches("[A-Za-z0-9._:-]{1,64}") ? given : UUID.randomUUID().toString();
    }

    public String value() {
        return value;
    }
}
