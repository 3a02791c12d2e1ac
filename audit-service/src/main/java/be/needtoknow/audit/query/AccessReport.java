package be.needtoknow.audit.query;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import be.needtoknow.audit.DpoOnly;
import be.needtoknow.common.audit.AuditTrail;
import be.needtoknow.common.audit.AuditTrail.Access;
import be.needtoknow.common.audit.LegalBasis;
import be.needtoknow.common.audit.PupilPseudonyms;
import be.needtoknow.common.caller.Caller;

/**
 * T4, A3: the answer to a parent's or pupil's question "who looked at my child's file, when and
 * why?" — every record of the trail about the pupil, in the organisation of the DPO who makes it,
 * each access in plain words (Dutch, or English). Making it is itself recorded.
 */
@ApplicationScoped
public class AccessReport {

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper json;

    @Inject
    PupilPseudonyms pseudonyms;

    @Inject
    AuditTrail audit;

    @Inject
    DpoOnly dpoOnly;

    /** One access, as a parent reads it: what and basis in plain words beside the codes. */
    public record Line(OffsetDateTime when, String who, String role, String organisation, String action, String what,
            String why, String legalBasis, String basis, String outcome) {
    }

    public record Report(String organisationId, String pupilId, OffsetDateTime generatedAt, String generatedBy,
            String language, List<Line> accesses) {
    }

    @Transactional
    public Report of(Caller caller, String pupilId, Locale language) {
        Access access = new Access("audit.report", caller.organisationId(), pupilId, "audit-trail", null,
                "right of access", LegalBasis.LEGAL_OBLIGATION);
        dpoOnly.require(caller, access, "makes the access report");
        ResourceBundle texts = ResourceBundle.getBundle("report.messages", language);
        @SuppressWarnings("unchecked")
        List<String> records = em.createNativeQuery("select record from audit_record where organisation_id = ?1 "
                + "and pupil_pseudonym = ?2 order by leaf_index")
                .setParameter(1, caller.organisationId())
                .setParameter(2, pseudonyms.of(caller.organisationId(), pupilId)).getResultList();
        List<Line> lines = new ArrayList<>();
        for (String text : records) {
            JsonNode r = read(text);
            String action = r.path("action").asText();
            String basis = r.path("legalBasis").asText();
            lines.add(new Line(OffsetDateTime.parse(r.path("occurredAt").asText()), r.path("actor").path("username").asText(),
                    r.path("actor").path("role").asText(), r.path("actor").path("organisationId").asText(), action,
                    text(texts, "action." + action, action), r.path("purpose").asText(), basis,
                    text(texts, "basis." + basis, basis), r.path("outcome").asText()));
        }
        audit.granted(caller, access);
        return new Report(caller.organisationId(), pupilId, OffsetDateTime.now(ZoneOffset.UTC), caller.username(),
                language.getLanguage(), lines);
    }

    private static String text(ResourceBundle texts, String key, String otherwise) {
        return texts.containsKey(key) ? texts.getString(key) : otherwise;
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored audit record is not JSON", e);
        }
    }
}
