package be.needtoknow.common.audit;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import be.needtoknow.common.audit.AuditRecord.Actor;
import io.quarkus.arc.Arc;
import be.needtoknow.common.audit.AuditRecord.Outcome;
import be.needtoknow.common.caller.Caller;
import be.needtoknow.common.outbox.Outbox;

/**
 * Emits audit records (A1) through the outbox. A granted access is recorded in the transaction
 * of the access itself, so the record exists exactly when the change or the read happened; a
 * refusal is recorded in a transaction of its own, since the refused request rolls back.
 * Pupils are pseudonymised here, before anything is published.
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

    /** What was accessed: the action, the pupil (school-scoped id, may be null) and the record. */
    public record Access(String action, String organisationId, String pupilId, String resourceType,
            String resourceId, String purpose, String legalBasis) {
    }

    @Transactional(TxType.MANDATORY)
    public void granted(Caller caller, Access access) {
        append(caller, access, Outcome.GRANTED, null);
    }

    @Transactional(TxType.REQUIRES_NEW)
    public void refused(Caller caller, Access access, String reason) {
        append(caller, access, Outcome.REFUSED, reason);
    }

    private void append(Caller caller, Access access, Outcome outcome, String reason) {
        String pupil = access.pupilId() == null ? null : pseudonyms.of(access.organisationId(), access.pupilId());
        AuditRecord record = new AuditRecord(
                OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                service,
                new Actor(caller.subject(), caller.username(), caller.primaryRole(), caller.organisationId(),
                        caller.organisationType().claimValue()),
                access.action(),
                access.organisationId(),
                pupil,
                access.resourceType(),
                access.resourceId(),
                access.purpose(),
                access.legalBasis(),
                outcome,
                reason,
                Arc.container().requestContext().isActive() ? correlationId.value() : UUID.randomUUID().toString());
        // Keyed by pupil pseudonym so that one pupil's records keep their order on the topic.
        String key = pupil != null ? pupil : access.organisationId();
        String subject = access.resourceId() == null ? access.resourceType() : access.resourceType() + "/" + access.resourceId();
        outbox.append(AuditRecord.TOPIC, key, AuditRecord.EVENT_TYPE, subject, record);
    }
}
