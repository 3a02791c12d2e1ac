package be.needtoknow.common.audit;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import be.needtoknow.common.audit.AuditRecord.Actor;
import be.needtoknow.common.audit.AuditRecord.Outcome;
import be.needtoknow.common.caller.Caller;
import be.needtoknow.common.caller.UnidentifiedCaller;
import be.needtoknow.common.outbox.Outbox;
import io.quarkus.arc.Arc;

/**
 * Emits audit records (A1) through the outbox. A granted access is recorded in the transaction
 * of the access itself, so the record exists exactly when the change or the read happened; a
 * refusal is recorded in a transaction of its own, since the refused request rolls back.
 * Pupils are pseudonymised here, before anything is published. A request refused before its caller
 * is known (no valid token, no organisation in the token) is recorded too, against the endpoint it
 * tried, with no pupil and no purpose, since none can be known.
 */
@ApplicationScoped
public class AuditTrail {

    @Inject
    Outbox outbox;

    @Inject
    PupilPseudonyms pseudonyms;

    @Inject
    CorrelationId correlationId;

    @ConfigProperty(name = "quarkus.application.name")
    String service;

    /** The action of a refused authentication: no token, or one that does not verify. */
    public static final String AUTHENTICATE = "authenticate";
    /** The action of a refusal for a verified token that names no organisation. */
    public static final String IDENTIFY_ORGANISATION = "identify-organisation";
    /** The action of a refusal because the request lost a race with another one (a 409 conflict). */
    public static final String CONCURRENT_CHANGE = "concurrent-change";
    /** The role of the actor of a record of the service's own doing ({@link #bySystem}). */
    public static final String SYSTEM = "system";
    /** The resource type of a refusal before the caller is known: the endpoint (method and path template). */
    public static final String ENDPOINT = "endpoint";

    /**
     * The organisation a refusal before the caller is known is filed under, so that its DPO sees
     * it (A3): the deployment's own, where one school board runs the suite; "unknown" by default.
     */
    @ConfigProperty(name = "ntk.audit.unidentified-organisation", defaultValue = "unknown")
    String unidentifiedOrganisation;

    /** What was accessed: the action, the pupil (school-scoped id, may be null) and the record. */
    public record Access(String action, String organisationId, String pupilId, String resourceType,
            String resourceId, String purpose, String legalBasis) {
    }

    @Transactional(TxType.MANDATORY)
    public void granted(Caller caller, Access access) {
        append(caller, access, Outcome.GRANTED, null);
    }

    /** Many granted accesses of one request (a list read, a referral's disclosures), stored at once. */
    @Transactional(TxType.MANDATORY)
    public void granted(Caller caller, List<Access> accesses) {
        Actor actor = actorOf(caller);
        String correlation = correlation();
        outbox.append(accesses.stream().map(a -> record(actor, a, Outcome.GRANTED, null, correlation)).toList());
    }

    /**
     * The one way to refuse an access (A1): records the refusal, in a transaction of its own, and
     * returns the problem for the caller to throw: {@code throw audit.refuse(caller, access, why, problem)}.
     *
     * @param reason why, for the DPO; never content
     */
    @Transactional(TxType.REQUIRES_NEW)
    public <E extends RuntimeException> E refuse(Caller caller, Access access, String reason, E problem) {
        append(caller, access, Outcome.REFUSED, reason);
        return problem;
    }

    /**
     * A1: a request refused before a caller could be made of it. Called from the request's thread
     * or a worker (its correlation id is therefore given, not looked up).
     *
     * @param endpoint the method and path template ("GET /case-files/{id}"), never the path itself,
     *                 which may carry a pupil's id
     * @param reason   why, never the token or any part of it
     */
    @Transactional(TxType.REQUIRES_NEW)
    public void refusedUnidentified(UnidentifiedCaller who, String action, String endpoint, String reason,
            String correlation) {
        append(new Actor(who.subject(), who.username(), who.role(), null, null),
                new Access(action, unidentifiedOrganisation, null, ENDPOINT, endpoint, null, null),
                Outcome.REFUSED, reason, correlation);
    }

    /**
     * A1: a request of a known caller refused after its work was rolled back (it lost a race with
     * another request), against the endpoint it tried, since the record of its own access rolled
     * back with it.
     *
     * @param endpoint the method and path template, never the path itself
     */
    @Transactional(TxType.REQUIRES_NEW)
    public void refusedAtEndpoint(Caller caller, String action, String endpoint, String reason) {
        append(caller, new Access(action, caller.organisationId(), null, ENDPOINT, endpoint, null, null), Outcome.REFUSED,
                reason);
    }

    /**
     * A1: something the service did of its own accord, with no caller (the outbox relay parked an
     * event the broker refuses), for the operator of the deployment: filed under the
     * deployment's organisation ({@code ntk.audit.unidentified-organisation}), the service as actor.
     *
     * @param reason what happened, never content
     */
    @Transactional(TxType.MANDATORY)
    public void bySystem(String action, String resourceType, String resourceId, String reason) {
        append(new Actor(service, service, SYSTEM, null, null),
                new Access(action, unidentifiedOrganisation, null, resourceType, resourceId, null, null),
                Outcome.GRANTED, reason, CorrelationId.ofCurrentTrace());
    }

    private void append(Caller caller, Access access, Outcome outcome, String reason) {
        append(actorOf(caller), access, outcome, reason, correlation());
    }

    private static Actor actorOf(Caller caller) {
        return new Actor(caller.subject(), caller.username(), caller.primaryRole(), caller.organisationId(),
                caller.organisationType().claimValue());
    }

    private String correlation() {
        return Arc.container().requestContext().isActive() ? correlationId.value() : CorrelationId.ofCurrentTrace();
    }

    private void append(Actor actor, Access access, Outcome outcome, String reason, String correlation) {
        outbox.append(List.of(record(actor, access, outcome, reason, correlation)));
    }

    /** The audit record of one access as an event for the outbox. */
    private Outbox.Pending record(Actor actor, Access access, Outcome outcome, String reason, String correlation) {
        String pupil = access.pupilId() == null ? null : pseudonyms.of(access.organisationId(), access.pupilId());
        AuditRecord record = new AuditRecord(
                OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                service,
                actor,
                access.action(),
                access.organisationId(),
                pupil,
                access.resourceType(),
                access.resourceId(),
                access.purpose(),
                access.legalBasis(),
                outcome,
                reason,
                correlation);
        // Keyed by pupil pseudonym so that one pupil's records keep their order on the topic.
        String key = pupil != null ? pupil : access.organisationId();
        String subject = access.resourceId() == null ? access.resourceType() : access.resourceType() + "/" + access.resourceId();
        return new Outbox.Pending(AuditRecord.TOPIC, key, AuditRecord.EVENT_TYPE, subject, record);
    }
}
