package be.needtoknow.audit.query;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
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
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The DPO's queries (A3): the records of the DPO's own organisation only (about its pupils, or by its
 * own people), by pupil (the school's pupil id; the pseudonym is computed here), person, the person's
 * organisation, action, outcome (REFUSED: the refused attempts), purpose, legal basis
 * (vital-interest: the disclosures without consent) and period; paginated, or exported whole as
 * JSON Lines or CSV. Each query is itself recorded in the trail.
 */
@ApplicationScoped
public class AuditQuery {

    private static final int EXPORT_BATCH = 1000;

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

    /** Search criteria; null means "any". */
    public record Criteria(String pupilId, String actor, String actorOrganisation, String action, String outcome,
            String purpose, String legalBasis, OffsetDateTime from, OffsetDateTime to) {
    }

    /** The export formats. */
    public enum Format {
        JSON_LINES, CSV
    }

    private void dpo(Caller caller, Access access) {
        dpoOnly.require(caller, access, "reads the audit trail");
    }

    private static Access access(Caller caller, String action, Criteria criteria) {
        return new Access(action, caller.organisationId(), criteria.pupilId(), "audit-trail", null, "accountability",
                LegalBasis.ACCOUNTABILITY);
    }

    @Transactional
    public List<AuditRecordView> search(Caller caller, Criteria criteria, int page, int size) {
        Access access = access(caller, "audit.search", criteria);
        dpo(caller, access);
        List<AuditRecordView> views = rows(caller, criteria, (long) page * size, -1, size);
        audit.granted(caller, access);
        return views;
    }

    /** Records the export in the trail (before any byte of it leaves) and returns the writer of its lines. */
    @Transactional
    public Export export(Caller caller, Criteria criteria, Format format) {
        Access access = access(caller, "audit.export", criteria);
        dpo(caller, access);
        audit.granted(caller, access);
        return out -> {
            if (format == Format.CSV) {
                out.write(ExportCsv.HEADER.getBytes(StandardCharsets.UTF_8));
            }
            long after = -1;
            while (true) {
                long from = after;
                List<AuditRecordView> batch = QuarkusTransaction.requiringNew()
                        .call(() -> rows(caller, criteria, 0, from, EXPORT_BATCH));
                for (AuditRecordView view : batch) {
                    String line = format == Format.CSV ? ExportCsv.line(view) : json.writeValueAsString(view) + "\n";
                    out.write(line.getBytes(StandardCharsets.UTF_8));
                }
                if (batch.size() < EXPORT_BATCH) {
                    return;
                }
                after = batch.get(batch.size() - 1).leafIndex();
            }
        };
    }

    /** Writes an export. */
    @FunctionalInterface
    public interface Export {
        void writeTo(OutputStream out) throws IOException;
    }

    /** The organisation's records that meet the criteria, in log order: from an offset, or after a leaf (keyset). */
    private List<AuditRecordView> rows(Caller caller, Criteria criteria, long offset, long afterLeaf, int limit) {
        // The organisation's own records: those about its pupils, and what its own people and systems did
        // (a CLB's workers act on referrals filed under the school that sent them).
        StringBuilder where = new StringBuilder("(organisation_id = :org or actor_organisation_id = :org)");
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("org", caller.organisationId());
        if (criteria.pupilId() != null) {
            where.append(" and pupil_pseudonym = :pupil");
            parameters.put("pupil", pseudonyms.of(caller.organisationId(), criteria.pupilId()));
        }
        condition(where, parameters, "actor_username = :actor", "actor", criteria.actor());
        condition(where, parameters, "actor_organisation_id = :actorOrganisation", "actorOrganisation",
                criteria.actorOrganisation());
        condition(where, parameters, "action = :action", "action", criteria.action());
        condition(where, parameters, "outcome = :outcome", "outcome", criteria.outcome());
        condition(where, parameters, "(cast(record as jsonb) ->> 'purpose') = :purpose", "purpose", criteria.purpose());
        condition(where, parameters, "(cast(record as jsonb) ->> 'legalBasis') = :basis", "basis", criteria.legalBasis());
        condition(where, parameters, "occurred_at >= :from", "from", criteria.from());
        condition(where, parameters, "occurred_at < :to", "to", criteria.to());
        if (afterLeaf >= 0) {
            where.append(" and leaf_index > :after");
            parameters.put("after", afterLeaf);
        }
        Query query = em.createNativeQuery("select leaf_index, event_id, received_at, record from audit_record where "
                + where + " order by leaf_index limit :limit offset :offset")
                .setParameter("limit", limit)
                .setParameter("offset", offset);
        parameters.forEach(query::setParameter);
        List<AuditRecordView> views = new ArrayList<>();
        for (Object row : query.getResultList()) {
            Object[] columns = (Object[]) row;
            views.add(new AuditRecordView(((Number) columns[0]).longValue(), ((UUID) columns[1]).toString(),
                    columns[2].toString(), parse((String) columns[3])));
        }
        return views;
    }

    private static void condition(StringBuilder where, Map<String, Object> parameters, String sql, String name, Object value) {
        if (value != null) {
            where.append(" and ").append(sql);
            parameters.put(name, value);
        }
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored audit record is not JSON", e);
        }
    }

    /** The export's CSV lines (cells by {@link be.needtoknow.audit.Csv}). */
    static final class ExportCsv {
        static final String HEADER = "leafIndex,occurredAt,actor,actorRole,actorOrganisation,action,organisation,"
                + "pupilPseudonym,resourceType,resourceId,purpose,legalBasis,outcome,reason,correlationId,eventId\r\n";

        private ExportCsv() {
        }

        static String line(AuditRecordView view) {
            JsonNode r = view.record();
            JsonNode actor = r.path("actor");
            List<String> cells = List.of(String.valueOf(view.leafIndex()), text(r, "occurredAt"), text(actor, "username"),
                    text(actor, "role"), text(actor, "organisationId"), text(r, "action"), text(r, "organisationId"),
                    text(r, "pupilPseudonym"), text(r, "resourceType"), text(r, "resourceId"), text(r, "purpose"),
                    text(r, "legalBasis"), text(r, "outcome"), text(r, "reason"), text(r, "correlationId"), view.eventId());
            return String.join(",", cells.stream().map(be.needtoknow.audit.Csv::cell).toList()) + "\r\n";
        }

        private static String text(JsonNode node, String field) {
            JsonNode value = node.get(field);
            return value == null || value.isNull() ? "" : value.asText();
        }
    }
}
