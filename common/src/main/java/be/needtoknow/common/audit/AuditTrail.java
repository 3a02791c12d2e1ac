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
     * A1: records a refusal, in a transaction of its own (the refused request rolls back). Called by
     * the problem mappers only, the one place where a {@link Refused} is answered; everywhere else a
     * refusal is thrown.
     *
     * @param endpoint    the method and path template tried ("GET /case-files/{id}"), never the path
     *                    itself, which may carry a pupil's id: the resource of a refusal at the endpoint
     * @param correlation the request's correlation id (given, since this may run on a worker thread)
     */
    @Transactional(TxType.REQUIRES_NEW)
    public void refused(Refused refusal, String endpoint, String correlation) {
        Access access = refusal.access();
        if (refusal.atEndpoint()) {
            String organisation = refusal.caller() == null ? unidentifiedOrganisation : access.organisationId();
            access = new Access(access.action(), organisation, null, ENDPOINT, endpoint, null, null);
        }
        Actor actor = refusal.caller() != null ? actorOf(refusal.caller())
                : new Actor(refusal.unidentified().subject(), refusal.unidentified().username(),
                        refusal.unidentified().role(), null, null);
        append(actor, access, Outcome.REFUSED, refusal.reason(), correlation);
    }

    /**
     * A1: an alarm the service raises of its own accord, recorded as a refusal (it refuses to go on
     * as if nothing happened) for the DPOs of the organisation, in a transaction of its own.
     *
     * @param detail what happened, never content
     */
    @Transactional(TxType.REQUIRES_NEW)
    public void alarm(Caller monitor, Access access, String detail) {
        append(actorOf(monitor), access, Outcome.REFUSED, detail, CorrelationId.ofCurrentTrace());
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
