package be.needtoknow.audit.query;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.ResourceBundle;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import be.needtoknow.audit.DpoOnly;
import be.needtoknow.common.audit.AuditTrail;
import be.needtoknow.common.audit.AuditTrail.Access;
import be.needtoknow.common.audit.LegalBasis;
import be.needtoknow.common.audit.PupilPseudonyms;
import be.needtoknow.common.caller.Caller;
import be.needtoknow.common.caller.Roles;

/**
 * T4, A3: the answer to a parent's or pupil's question "who looked at my child's file, when and
 * why?" — every record of the trail about the pupil, in the organisation of the DPO who makes it,
 * each access in plain words (Dutch, or English): people by name, function and organisation from
 * the directories ({@link Directory}), purposes and actions in the page's language, identical
 * refusals in a row as one line with a count. Making it is itself recorded.
 * <p>
 * The JSON keeps the codes beside the words (it is for the DPO's systems): {@code who},
 * {@code role}, {@code organisation}, {@code action}, {@code purpose}, {@code legalBasis},
 * {@code outcome} are the trail's own; {@code whoInWords}, {@code what}, {@code why},
 * {@code basis}, {@code outcomeInWords}, {@code whenInWords} are what the page shows.
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

    @Inject
    Directory directory;

    @Inject
    ParentsCopy parentsCopy;

    @Inject
    Instance<JsonWebToken> token;

    /** The time zone of the times on the report (the schools' own). */
    @ConfigProperty(name = "ntk.audit.report.zone", defaultValue = "Europe/Brussels")
    ZoneId zone;

    /**
     * One access (or {@code count} identical refusals in a row, from {@code when} to {@code until}),
     * as a parent reads it, with the trail's codes beside the words.
     */
    public record Line(OffsetDateTime when, OffsetDateTime until, int count, String who, String role,
            String organisation, String whoInWords, String action, String what, String purpose, String why,
            String legalBasis, String basis, String outcome, String outcomeInWords, String whenInWords) {
    }

    /**
     * The report. {@code organisationName}, {@code generatedByInWords}, {@code dateInWords} and
     * {@code intro} are in words; {@code namesLookedUp} is false when the directories could not
     * be read (the page then names people by function and says so).
     */
    public record Report(String organisationId, String pupilId, OffsetDateTime generatedAt, String generatedBy,
            String language, List<Line> accesses, String organisationName, String generatedByInWords,
            String dateInWords, String intro, boolean namesLookedUp, @JsonIgnore String printHeader,
            @JsonIgnore String printFooter, Addressee addressee, List<LeftOut> leftOut) {
    }

    /** For whom the report is made: the parents' leaves out what a pupil of 12 or more kept from them (M1). */
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "ReportAddressee")
    public enum Addressee {
        PARENTS, PUPIL
    }

    /** M1: how many records the parents' report left out on one ground, and the ground in words; never which. */
    public record LeftOut(String ground, int count, String inWords) {
    }

    /**
     * A record's purpose in words of this language (as the report says it), for the DPO's console;
     * without the directories, so a recipient is named by its kind.
     */
    public static String purposeInWords(String purpose, Locale language) {
        return new ReportWords(ResourceBundle.getBundle("report.messages", language), Directory.Names.NONE, null, null,
                language, ZoneId.of("Europe/Brussels"), Map.of()).purpose(purpose);
    }

    /** The report's texts in this language (the bundle report/messages), as the page template reads them ({@code msg}). */
    public static Map<String, String> texts(Locale language) {
        ResourceBundle bundle = ResourceBundle.getBundle("report.messages", language);
        Map<String, String> msg = new HashMap<>();
        bundle.keySet().forEach(k -> msg.put(k, bundle.getString(k)));
        return msg;
    }

    @Transactional
    public Report of(Caller caller, String pupilId, Locale language, Addressee addressee) {
        Access access = new Access("audit.report", caller.organisationId(), pupilId, "audit-trail", null,
                "right of access", LegalBasis.LEGAL_OBLIGATION);
        dpoOnly.require(caller, access, "makes the access report");
        ParentsCopy.Filter filter = addressee == Addressee.PARENTS ? parentsCopy.of(pupilId) : null;
        Map<String, Integer> leftOut = new java.util.TreeMap<>();
        ResourceBundle texts = ResourceBundle.getBundle("report.messages", language);
        @SuppressWarnings("unchecked")
        List<String> records = em.createNativeQuery("select record from audit_record where organisation_id = ?1 "
                + "and pupil_pseudonym = ?2 order by leaf_index")
                .setParameter(1, caller.organisationId())
                .setParameter(2, pseudonyms.of(caller.organisationId(), pupilId)).getResultList();
        Directory.Names names = directory.of(caller.organisationId());
        String dpoName = nameOf(caller, names);
        ReportWords words = new ReportWords(texts, names, caller.organisationId(),
                caller.organisationType() == null ? null : caller.organisationType().name(), language, zone,
                dpoName == null ? Map.of() : Map.of(caller.username(), dpoName));
        List<Line> lines = new ArrayList<>();
        JsonNode previous = null;
        for (String text : records) {
            JsonNode r = read(text);
            String ground = filter == null ? null : filter.groundOf(r);
            if (ground != null) {
                leftOut.merge(ground, 1, Integer::sum); // M1: counted, never shown
                continue;
            }
            OffsetDateTime when = OffsetDateTime.parse(r.path("occurredAt").asText());
            if (previous != null && sameRefusal(previous, r)) {
                // Identical refusals in a row (same person, action and object): one line with a count.
                Line last = lines.remove(lines.size() - 1);
                int count = last.count() + 1;
                lines.add(new Line(last.when(), when, count, last.who(), last.role(), last.organisation(),
                        last.whoInWords(), last.action(), last.what(), last.purpose(), last.why(), last.legalBasis(),
                        last.basis(), last.outcome(), words.outcome(last.outcome(), count), words.when(last.when(), when)));
                continue;
            }
            previous = r;
            JsonNode actor = r.path("actor");
            String action = r.path("action").asText();
            String purpose = r.hasNonNull("purpose") ? r.get("purpose").asText() : null;
            String basis = r.path("legalBasis").asText();
            String outcome = r.path("outcome").asText();
            lines.add(new Line(when, when, 1, actor.path("username").asText(), actor.path("role").asText(),
                    actor.hasNonNull("organisationId") ? actor.get("organisationId").asText() : null, words.who(actor),
                    action, words.action(action), purpose, words.purpose(purpose), basis, words.basis(basis), outcome,
                    words.outcome(outcome, 1), words.when(when, when)));
        }
        audit.granted(caller, access);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String organisationName = words.organisation(caller.organisationId(),
                caller.organisationType() == null ? null : caller.organisationType().name());
        String function = words.function(caller.hasRole(Roles.DPO) ? Roles.DPO : caller.primaryRole());
        String by = dpoName == null ? words.fill("by.unnamed", function, organisationName)
                : words.fill("by.person", dpoName, function);
        String dateInWords = words.date(now);
        String intro = words.fill("intro", organisationName, pupilId, dateInWords, by);
        List<LeftOut> left = leftOut.entrySet().stream().map(e -> new LeftOut(e.getKey(), e.getValue(),
                words.fill("leftOut." + e.getKey(), e.getValue()))).toList();
        return new Report(caller.organisationId(), pupilId, now, caller.username(), language.getLanguage(), lines,
                organisationName, by, dateInWords, intro, names.complete(), be.needtoknow.common.link.LinkPages.cssString(organisationName),
                be.needtoknow.common.link.LinkPages.cssString(words.fill("printFooter", dateInWords)), addressee, left);
    }

    /** Two records are the same refusal: both refused, same person, action and object. */
    private static boolean sameRefusal(JsonNode a, JsonNode b) {
        return "REFUSED".equals(a.path("outcome").asText()) && "REFUSED".equals(b.path("outcome").asText())
                && a.path("actor").equals(b.path("actor")) && a.path("action").equals(b.path("action"))
                && a.path("resourceType").equals(b.path("resourceType"))
                && a.path("resourceId").equals(b.path("resourceId"));
    }

    /**
     * The name of the DPO who makes the report: from their token (the realm's "name" claim; in a
     * browser session the ID token's) or from the staff directory; null when neither tells it.
     */
    private String nameOf(Caller caller, Directory.Names names) {
        String name = null;
        if (token.isResolvable()) {
            try {
                JsonWebToken jwt = token.get();
                if (Objects.equals(jwt.getClaim("preferred_username"), caller.username())) {
                    name = jwt.getClaim("name");
                }
            } catch (RuntimeException e) {
                name = null; // no token in this context: the directory tells, or no one
            }
        }
        Directory.Person person = names.person(caller.username());
        if ((name == null || name.isBlank()) && person != null) {
            name = person.name();
        }
        return name == null || name.isBlank() ? null : name;
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored audit record is not JSON", e);
        }
    }
}
