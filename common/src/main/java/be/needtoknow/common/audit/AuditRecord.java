package be.needtoknow.common.audit;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One audit record (rule A1), the data of a {@value #EVENT_TYPE} CloudEvent on
 * {@value #TOPIC}: who (person, role, organisation), what action, which pupil (pseudonym only),
 * which record, purpose, legal basis, outcome and when. It never holds case content (N2).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditRecord(
        String occurredAt,
        String service,
        Actor actor,
        String action,
        String organisationId,
        String pupilPseudonym,
        String resourceType,
        String resourceId,
        String purpose,
        String legalBasis,
        Outcome outcome,
        String reason,
        String correlationId) {

    public static final String TOPIC = "ntk.audit.v1";
    public static final String EVENT_TYPE = "be.needtoknow.audit.record.v1";

    /**
     * Who acted. Subject and organisation are absent when no caller could be identified: a refused
     * authentication (username {@value be.needtoknow.common.caller.UnidentifiedCaller#ANONYMOUS_USERNAME}),
     * or a token that names no organisation.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Actor(String subject, String username, String role, String organisationId,
            String organisationType) {
    }

    public enum Outcome {
        GRANTED, REFUSED
    }
}
