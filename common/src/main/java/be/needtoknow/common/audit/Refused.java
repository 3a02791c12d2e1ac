package be.needtoknow.common.audit;

import jakarta.ws.rs.core.Response;

import be.needtoknow.common.audit.AuditTrail.Access;
import be.needtoknow.common.caller.Caller;
import be.needtoknow.common.caller.UnidentifiedCaller;
import be.needtoknow.common.problem.ProblemException;

/**
 * The one way to refuse (A1): thrown where the decision is made, carrying the attempt (who, the
 * action on what, its purpose and legal basis), why, and the problem the caller is told (with the
 * rule id where a rule of docs/rules.md decided). It is audited in exactly one place: the problem
 * mappers record it, in a transaction of their own once the refused request has rolled back, and
 * then answer it. A page (a family's link, the DPO console) that answers a refusal in HTML throws
 * it again {@linkplain #answeredWith(Response) with its page}, so that it is recorded just the same.
 *
 * <pre>{@code throw new Refused(caller, access, "not the owner", ProblemException.forbidden(...));}</pre>
 */
public final class Refused extends ProblemException {

    private final transient Caller caller;
    private final transient UnidentifiedCaller unidentified;
    private final transient Access access;
    private final String reason;

    /**
     * @param access what was attempted
     * @param reason why, for the DPO; never content, a token or a link's secret
     * @param problem what the caller is told
     */
    public Refused(Caller caller, Access access, String reason, ProblemException problem) {
        this(caller, null, access, reason, problem, null);
    }

    private Refused(Caller caller, UnidentifiedCaller unidentified, Access access, String reason,
            ProblemException problem, Response answer) {
        super(problem.problem(), answer);
        if ((caller == null) == (unidentified == null) || reason == null) {
            throw new IllegalArgumentException("a refusal names its caller, or who could not be made one, and why");
        }
        this.caller = caller;
        this.unidentified = unidentified;
        this.access = access;
        this.reason = reason;
    }

    /**
     * A request refused before a caller could be made of it (no token, a token that does not verify
     * or names no organisation): recorded against the endpoint it tried, with no pupil and no
     * purpose, since none can be known.
     *
     * @param action {@link AuditTrail#AUTHENTICATE} or {@link AuditTrail#IDENTIFY_ORGANISATION}
     */
    public static Refused beforeTheCallerIsKnown(UnidentifiedCaller who, String action, String reason,
            ProblemException problem) {
        return new Refused(null, who, new Access(action, null, null, AuditTrail.ENDPOINT, null, null, null), reason,
                problem, null);
    }

    /**
     * A request of a known caller whose own work rolled back (it lost a race with another request):
     * recorded against the endpoint it tried, since the record of its own access rolled back with it.
     */
    public static Refused atTheEndpoint(Caller caller, String action, String reason, ProblemException problem) {
        return new Refused(caller, null, new Access(action, caller.organisationId(), null, AuditTrail.ENDPOINT, null,
                null, null), reason, problem, null);
    }

    /** The same refusal, answered with this page instead of problem details; recorded all the same. */
    @Override
    public Refused answeredWith(Response page) {
        return new Refused(caller, unidentified, access, reason, this, page);
    }

    /** The caller refused; null when the refusal came before one could be made ({@link #unidentified()}). */
    public Caller caller() {
        return caller;
    }

    /** Who was refused before a caller could be made of the request; null otherwise. */
    public UnidentifiedCaller unidentified() {
        return unidentified;
    }

    /** What was attempted; for a refusal at the endpoint, its resource id is still to be filled in. */
    public Access access() {
        return access;
    }

    /** Why, for the audit record. */
    public String reason() {
        return reason;
    }

    /** Whether the record names the endpoint tried (its method and path template) as the resource. */
    public boolean atEndpoint() {
        return AuditTrail.ENDPOINT.equals(access.resourceType()) && access.resourceId() == null;
    }
}
