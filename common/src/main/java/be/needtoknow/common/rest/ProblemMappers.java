package be.needtoknow.common.rest;

import java.util.Comparator;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import be.needtoknow.common.audit.AuditTrail;
import be.needtoknow.common.audit.CorrelationId;
import be.needtoknow.common.audit.Refused;
import be.needtoknow.common.caller.Caller;
import be.needtoknow.common.caller.TokenRefusals;
import be.needtoknow.common.caller.UnidentifiedCaller;
import be.needtoknow.common.database.DatabaseFailures;
import be.needtoknow.common.identity.CallerContext;
import be.needtoknow.common.problem.Problem;
import be.needtoknow.common.problem.ProblemException;
import io.quarkus.runtime.BlockingOperationControl;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The one place where failures become RFC 9457 problem responses, and the one place where a
 * refusal is audited (A1): every {@link Refused}, thrown where it was decided, and every refusal
 * the framework makes before a caller is known (no token, a token that does not verify), is
 * recorded here in a transaction of its own, then answered. Written here rather than taken from a
 * library because every problem must carry our stable type and, for refusals, the docs/rules.md
 * rule id; the mapping itself is a few lines per kind.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @Inject
    UriInfo uriInfo;

    @Inject
    AuditTrail audit;

    @Inject
    CorrelationId correlationId;

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return answer(e);
    }

    /** A1: a refusal, recorded in a transaction of its own (its request has rolled back), then answered. */
    @ServerExceptionMapper
    public Uni<Response> refused(Refused e, ResourceInfo resource) {
        String endpoint = endpoint(resource);
        String correlation = correlationId.value();
        return recorded(answer(e), endpoint, () -> audit.refused(e, endpoint, correlation));
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(field(v.getPropertyPath().toString()), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        return respond(Problem.of(400, "validation", "Invalid request",
                "The request has " + errors.size() + " invalid field(s).").withErrors(errors));
    }

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e) {
        return respond(Problem.of(400, "unknown-field", "Invalid request",
                "Unknown field '" + e.getPropertyName() + "'.")
                .withErrors(List.of(new Problem.FieldError(e.getPropertyName(), "unknown field"))));
    }

    /** Declared for the narrower type too, so that it wins over Quarkus' own mapper of it. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return unreadable(e);
    }

    @ServerExceptionMapper
    public Response unreadable(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .reduce((a, b) -> a + "." + b).orElse("body");
        return respond(Problem.of(400, "malformed-body", "Invalid request", "The body could not be read at '" + path + "'.")
                .withErrors(List.of(new Problem.FieldError(path, "wrong type or format"))));
    }

    @ServerExceptionMapper
    public Response malformed(JsonProcessingException e) {
        return respond(Problem.of(400, "malformed-body", "Invalid request", "The body is not well-formed JSON."));
    }

    /** No token where the endpoint needs one (or the identity was asked for without one). */
    @ServerExceptionMapper
    public Uni<Response> unauthenticated(UnauthorizedException e, ResourceInfo resource) {
        return refused(Refused.beforeTheCallerIsKnown(UnidentifiedCaller.ANONYMOUS, AuditTrail.AUTHENTICATE,
                TokenRefusals.reason(e, bearerTokenGiven()), ProblemException.unauthenticated()), resource);
    }

    /** A token that does not verify: expired, not yet valid, another issuer or audience, a bad signature. */
    @ServerExceptionMapper
    public Uni<Response> authenticationFailed(AuthenticationFailedException e, ResourceInfo resource) {
        LOG.debugf("Authentication failed: %s", causes(e));
        return refused(Refused.beforeTheCallerIsKnown(UnidentifiedCaller.ANONYMOUS, AuditTrail.AUTHENTICATE,
                TokenRefusals.reason(e, bearerTokenGiven()), ProblemException.unauthenticated()), resource);
    }

    /**
     * The response once its refusal is recorded, on a worker thread when the request is on the I/O
     * thread (a record is a database write). If the record cannot be stored, the answer is still the refusal.
     */
    private Uni<Response> recorded(Response response, String endpoint, Runnable refusal) {
        Runnable record = () -> {
            try {
                refusal.run();
            } catch (RuntimeException failure) {
                LOG.errorf("The refusal on %s could not be audited: %s", endpoint, causes(failure));
            }
        };
        if (BlockingOperationControl.isBlockingAllowed()) {
            record.run();
            return Uni.createFrom().item(response);
        }
        return Uni.createFrom().item(() -> {
            record.run();
            return response;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** Whether the request carried a bearer token (its value is never looked at here). */
    private boolean bearerTokenGiven() {
        try {
            String authorization = routingContext.request().getHeader("Authorization");
            return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * The method and the path template of the endpoint ("GET /case-files/{id}"): the path as sent
     * may carry a pupil's id, which never goes into the audit trail.
     */
    private String endpoint(ResourceInfo resource) {
        String template = null;
        try {
            if (resource != null && resource.getResourceMethod() != null) {
                template = join(pathOf(resource.getResourceClass()), resource.getResourceMethod().getAnnotation(Path.class));
            }
        } catch (RuntimeException e) {
            template = null;
        }
        return method() + " " + (template == null ? "(unknown endpoint)" : template);
    }

    private static Path pathOf(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            Path path = c.getAnnotation(Path.class);
            if (path != null) {
                return path;
            }
        }
        return null;
    }

    private static String join(Path type, Path method) {
        String path = (type == null ? "" : "/" + type.value()) + (method == null ? "" : "/" + method.value());
        path = path.replaceAll("/{2,}", "/");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path.isEmpty() ? "/" : path;
    }

    /** A failure's classes, never its messages (a verifier's message quotes the token's claims). */
    private static String causes(Throwable e) {
        StringBuilder chain = new StringBuilder(e.getClass().getName());
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            chain.append(" <- ").append(cause.getClass().getName());
        }
        return chain.toString();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return respond(Problem.of(403, "forbidden", "Forbidden", "Your role does not allow this action."));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String title = e.getResponse().getStatusInfo().getReasonPhrase();
        return respond(Problem.of(status, "http-" + status, title, title + "."));
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Uni<Response> unexpected(Throwable e, ResourceInfo resource) {
        // Never a stack trace to the client. The log names the endpoint's template and the failure's
        // classes only: the path may carry a pupil's id or a link's secret, and a database error's
        // message can quote the failing row, and so a note's text.
        String endpoint = endpoint(resource);
        if (DatabaseFailures.unavailable(e)) {
            // Not a fault of the request: the client may try again (readiness is down meanwhile).
            LOG.warnf("Database unavailable on %s: %s", endpoint, chain(e));
            return Uni.createFrom().item(Response.fromResponse(respond(Problem.of(503, "database-unavailable",
                    "Service unavailable", "The database cannot be reached; try again later."))).header("Retry-After", "5")
                    .build());
        }
        if (DatabaseFailures.conflict(e)) {
            // Lost a race (e.g. two case files opened at once for one pupil): nothing was changed.
            return concurrentChange(resource);
        }
        LOG.errorf("Unexpected failure on %s: %s", endpoint, chain(e));
        return Uni.createFrom().item(respond(Problem.of(500, "internal", "Internal error",
                "The request could not be completed.")));
    }

    @Inject
    CallerContext callerContext;

    /** A 409 problem, refused at the endpoint (A1): the record of the request's own access rolled back with it. */
    private Uni<Response> concurrentChange(ResourceInfo resource) {
        ProblemException problem = ProblemException.conflict("concurrent-change", "Another request changed the same "
                + "data at the same moment, and this one changed nothing: read the current state and try again.");
        String reason = "lost a race with another request";
        Caller caller;
        try {
            caller = callerContext.get();
        } catch (RuntimeException anonymous) {
            caller = null;
        }
        return refused(caller != null ? Refused.atTheEndpoint(caller, AuditTrail.CONCURRENT_CHANGE, reason, problem)
                : Refused.beforeTheCallerIsKnown(UnidentifiedCaller.ANONYMOUS, AuditTrail.CONCURRENT_CHANGE, reason,
                        problem), resource);
    }

    private static String chain(Throwable e) {
        StringBuilder chain = new StringBuilder(e.getClass().getName());
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            chain.append(" <- ").append(cause.getClass().getName());
            if (cause instanceof java.sql.SQLException sql) {
                chain.append(" (SQLState ").append(sql.getSQLState()).append(')');
            }
        }
        return chain.toString();
    }

    @Inject
    io.vertx.ext.web.RoutingContext routingContext;

    private String method() {
        try {
            return routingContext.request().method().name();
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** The page the failure was given to answer with, else its problem details. */
    private Response answer(ProblemException e) {
        return e.answer() != null ? e.answer() : respond(e.problem());
    }

    private Response respond(Problem problem) {
        return Response.status(problem.status())
                .type(Problem.MEDIA_TYPE)
                .entity(problem.withInstance(uriInfo == null ? null : uriInfo.getPath()))
                .build();
    }

    /** "open.request.pupilId" (method.parameter.field) becomes "pupilId". */
    private static String field(String propertyPath) {
        String[] parts = propertyPath.split("\\.");
        return parts.length > 2 ? String.join(".", java.util.Arrays.copyOfRange(parts, 2, parts.length))
                : parts[parts.length - 1];
    }
}
