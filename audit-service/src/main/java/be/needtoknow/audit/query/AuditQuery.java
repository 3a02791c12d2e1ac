package be.needtoknow.audit.query;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import be.needtoknow.common.audit.AuditTrail;
import be.needtoknow.common.audit.AuditTrail.Access;
import be.needtoknow.common.audit.LegalBasis;
import be.needtoknow.common.audit.PupilPseudonyms;
import be.needtoknow.common.caller.Caller;
import be.needtoknow.common.caller.Roles;
import be.needtoknow.common.problem.ProblemException;

/**
 * The DPO's queries (A3): the records of the DPO's own organisation only (about its pupils, or by its
 * own people), by pupil (the school's pupil id; the pseudonym is computed here) and by person. Each query is itself recorded in the
 * trail.
 */
@ApplicationScoped
public class AuditQuery {

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper json;

    @Inject
    PupilPseudonyms pseudonyms;

    @Inject
    AuditTrail audit;

    /** Search criteria; null means "any". */
    public record Criteria(String pupilId, String actor, String action, String legalBasis, int page, int size) {
    }

    @Transactional
    public List<AuditRecordView> search(Caller caller, Criteria criteria) {
        Access access = new Access("audit.search", caller.organisationId(), criteria.pupilId(), "audit-trail", null,
                "accountability", LegalBasis.ACCOUNTABILITY);
        if (!caller.hasRole(Roles.DPO)) {
            audit.refused(caller, access, "not the DPO");
            throw ProblemException.forbidden("not-dpo", "Only the data protection officer reads the audit trail.");
        }
        // The organisation's own records: those about its pupils, and what its own people and systems did
        // (a CLB's workers act on referrals filed under the school that sent them).
        StringBuilder where = new StringBuilder("(organisation_id = :org or actor_organisation_id = :org)");
        if (criteria.pupilId() != null) {
            where.append(" and pupil_pseudonym = :pupil");
        }
        if (criteria.actor() != null) {
            where.append(" and actor_username = :actor");
        }
        if (criteria.action() != null) {
            where.append(" and action = :action");
        }
        if (criteria.legalBasis() != null) {
            where.append(" and (cast(record as jsonb) ->> 'legalBasis') = :basis");
        }
        var query = em.createNativeQuery("select leaf_index, event_id, received_at, record from audit_record where "
                + where + " order by leaf_index limit :limit offset :offset")
                .setParameter("org", caller.organisationId())
                .setParameter("limit", criteria.size())
                .setParameter("offset", (long) criteria.page() * criteria.size());
        if (criteria.pupilId() != null) {
            query.setParameter("pupil", pseudonyms.of(caller.organisationId(), criteria.pupilId()));
        }
        if (criteria.actor() != null) {
            query.setParameter("actor", criteria.actor());
        }
        if (criteria.action() != null) {
            query.setParameter("action", criteria.action());
        }
        if (criteria.legalBasis() != null) {
            query.setParameter("basis", criteria.legalBasis());
        }
        List<AuditRecordView> views = new ArrayList<>();
        for (Object row : query.getResultList()) {
            Object[] columns = (Object[]) row;
            views.add(new AuditRecordView(((Number) columns[0]).longValue(), ((UUID) columns[1]).toString(),
                    columns[2].toString(), parse((String) columns[3])));
        }
        audit.granted(caller, access);
        return views;
    }

    private com.fasterxml.jackson.databind.JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored audit record is not JSON", e);
        }
    }

}
