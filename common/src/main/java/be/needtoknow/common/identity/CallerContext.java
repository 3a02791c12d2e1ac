package be.needtoknow.common.identity;

import java.util.Set;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.eclipse.microprofile.jwt.JsonWebToken;

import be.needtoknow.common.audit.AuditTrail;
import be.needtoknow.common.audit.Refused;
import be.needtoknow.common.caller.Caller;
import be.needtoknow.common.caller.OrganisationType;
import be.needtoknow.common.caller.UnidentifiedCaller;
import be.needtoknow.common.problem.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The {@link Caller} of the current request, built once from the verified bearer token. The
 * organisation comes from the {@code organisation} claim ({@code {"id": ..., "type": ...}}) that
 * the realm maps into every token; a token without it is refused, since no access decision can be
 * made without knowing whose data the caller may touch.
 */
@RequestScoped
public class CallerContext {

    public static final String ORGANISATION_CLAIM = "organisation";

    @Inject
    SecurityIdentity identity;

    @Inject
    JsonWebToken token;

    private Caller caller;

    /**
     * The caller; refused ({@link Refused#beforeTheCallerIsKnown}) without a token (401) or when the
     * token lacks the organisation claim (403), recorded against the endpoint tried (A1).
     */
    public Caller get() {
        if (caller == null) {
            caller = fromToken();
        }
        return caller;
    }

    private Caller fromToken() {
        if (identity.isAnonymous()) {
            throw Refused.beforeTheCallerIsKnown(UnidentifiedCaller.ANONYMOUS, AuditTrail.AUTHENTICATE,
                    "not authenticated: no token", ProblemException.unauthenticated());
        }
        Object claim = token.getClaim(ORGANISATION_CLAIM);
        if (!(claim instanceof JsonObject organisation)) {
            throw withoutOrganisation("The token carries no organisation claim, so no access can be granted.",
                    "no organisation claim in the token");
        }
        String id = text(organisation.get("id"));
        String type = text(organisation.get("type"));
        if (id == null || id.isBlank() || type == null) {
            throw withoutOrganisation("The token's organisation claim lacks an id or a type.",
                    "the token's organisation claim lacks an id or a type");
        }
        OrganisationType organisationType;
        try {
            organisationType = OrganisationType.parse(type);
        } catch (IllegalArgumentException e) {
            throw withoutOrganisation("The token's organisation type is not one of school, clb, care, authority.",
                    "the token's organisation type is unknown");
        }
        return new Caller(token.getSubject(), username(), Set.copyOf(identity.getRoles()), id, organisationType);
    }

    /** A verified token, so its subject, name and roles are believed; its organisation is missing. */
    private Refused withoutOrganisation(String detail, String reason) {
        return Refused.beforeTheCallerIsKnown(
                new UnidentifiedCaller(token.getSubject(), username(), Caller.primaryRoleOf(identity.getRoles())),
                AuditTrail.IDENTIFY_ORGANISATION, reason, ProblemException.forbidden("missing-organisation", detail));
    }

    private String username() {
        String username = token.getClaim("preferred_username");
        return username == null ? token.getSubject() : username;
    }

    private static String text(JsonValue value) {
        if (value instanceof JsonString s) {
            return s.getString();
        }
        return null;
    }
}
