package be.needtoknow.audit.query;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * T4: the access report in the words a parent reads. People by name, function and organisation
 * (from the staff and recipient directories), or — when a name is unknown or could not be looked
 * up — by their function and the kind of organisation; never a username, a role code or an
 * organisation id. Purposes and actions in the page's language; an unknown purpose keeps its text.
 */
final class ReportWords {

    /** The names the services give to those who act without an account (T4, X: links, jobs, refusals). */
    private static final Set<String> PARENTS = Set.of("parents", "parents-link");
    private static final Set<String> PUPIL = Set.of("pupil", "pupil-link");
    private static final String RETENTION_JOB = be.needtoknow.common.retention.RetentionJob.ACTOR;
    private static final String ANONYMOUS = "anonymous";

    private final ResourceBundle texts;
    /** Names known besides the staff directory (the DPO's own, from their token), by username in the own organisation. */
    private final Map<String, String> knownNames;
    private final Directory.Names names;
    private final String ownOrganisation;
    private final String ownType;
    private final ZoneId zone;
    private final DateTimeFormatter date;
    private final DateTimeFormatter time;

    ReportWords(ResourceBundle texts, Directory.Names names, String ownOrganisation, String ownType, Locale locale,
            ZoneId zone, Map<String, String> knownNames) {
        this.knownNames = knownNames;
        this.texts = texts;
        this.names = names;
        this.ownOrganisation = ownOrganisation;
        this.ownType = ownType == null ? "school" : ownType.toLowerCase(Locale.ROOT);
        this.zone = zone;
        this.date = DateTimeFormatter.ofPattern("d MMMM yyyy", locale);
        this.time = DateTimeFormatter.ofPattern("HH:mm", locale);
    }

    /** The text of a key, or {@code otherwise} when the bundle has none. */
    String text(String key, String otherwise) {
        return texts.containsKey(key) ? texts.getString(key) : otherwise;
    }

    /** A pattern of the bundle with {0}, {1}, … filled in (no MessageFormat: apostrophes stay as written). */
    String fill(String key, Object... values) {
        String pattern = text(key, key);
        for (int i = 0; i < values.length; i++) {
            pattern = pattern.replace("{" + i + "}", String.valueOf(values[i]));
        }
        return pattern;
    }

    String date(OffsetDateTime when) {
        return when.atZoneSameInstant(zone).format(date);
    }

    /** "1 december 2026, 14:05", or with the time of the last of a group: "…, 14:05 – 14:09". */
    String when(OffsetDateTime first, OffsetDateTime last) {
        String from = fill("at", date(first), first.atZoneSameInstant(zone).format(time));
        if (last == null) {
            return from;
        }
        String until = fill("at", date(last), last.atZoneSameInstant(zone).format(time));
        if (until.equals(from)) {
            return from; // within the same minute
        }
        return from + " – " + (date(last).equals(date(first)) ? last.atZoneSameInstant(zone).format(time) : until);
    }

    /** A function (role code) in words: "leerlingbegeleider"; a role the bundle does not know: "medewerker". */
    String function(String role) {
        return text("role." + role, text("role.none", "staff member"));
    }

    /** An organisation: its name from the directory, or its kind in words ("de school", "een CLB"). */
    String organisation(String id, String type) {
        Directory.Organisation known = names.organisation(id);
        if (known != null && known.name() != null && !known.name().isBlank()) {
            return known.name();
        }
        if (id != null && id.equals(ownOrganisation)) {
            return text("org.own." + ownType, text("org.own.school", "the school"));
        }
        String kind = type != null ? type.toLowerCase(Locale.ROOT) : known != null && known.type() != null
                ? known.type().toLowerCase(Locale.ROOT) : "other";
        return text("org." + kind, text("org.other", "another organisation"));
    }

    /** Who acted, as a parent reads it (from the record's actor). */
    String who(JsonNode actor) {
        String username = actor.path("username").asText("");
        String role = actor.path("role").asText("none");
        String organisationId = actor.hasNonNull("organisationId") ? actor.get("organisationId").asText() : null;
        String type = actor.hasNonNull("organisationType") ? actor.get("organisationType").asText() : null;
        if (PARENTS.contains(username)) {
            return text("who.parents", "the parents");
        }
        if (PUPIL.contains(username)) {
            return text("who.pupil", "the pupil");
        }
        if (RETENTION_JOB.equals(username)) {
            return text("who.retention", "the system itself");
        }
        if (ANONYMOUS.equals(username) || organisationId == null) {
            return text(ANONYMOUS.equals(username) ? "who.anonymous" : "who.unidentified", "someone");
        }
        String organisation = organisation(organisationId, type);
        if ("school-system".equals(role)) {
            return fill("who.schoolSystem", organisation);
        }
        if ("recipient-system".equals(role)) {
            return fill("who.recipientSystem", organisation);
        }
        if (!texts.containsKey("role." + role) || "none".equals(role)) {
            return fill("who.someoneOf", organisation);
        }
        // The staff directory is the DPO's own organisation's: others are named by function only.
        Directory.Person person = organisationId.equals(ownOrganisation) ? names.person(username) : null;
        String name = person != null ? person.name() : organisationId.equals(ownOrganisation) ? knownNames.get(username) : null;
        if (name != null && !name.isBlank()) {
            return fill("who.person", name, function(role), organisation);
        }
        return fill("who.unnamed", function(role), organisation);
    }

    /** The purpose in the page's language; an unknown purpose keeps its own text. */
    String purpose(String purpose) {
        if (purpose == null || purpose.isBlank()) {
            return "";
        }
        String key = "purpose." + purpose.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        if (texts.containsKey(key)) {
            return texts.getString(key);
        }
        // A note's disclosure names where it went: "referral to <recipient id>", "transfer to <school id>".
        if (purpose.startsWith("referral to ")) {
            return fill("purpose.referralTo", organisation(purpose.substring("referral to ".length()), null));
        }
        if (purpose.startsWith("transfer to ")) {
            return fill("purpose.transferTo", organisation(purpose.substring("transfer to ".length()), "school"));
        }
        return purpose;
    }

    String action(String action) {
        return text("action." + action, action);
    }

    String basis(String basis) {
        return text("basis." + basis, basis);
    }

    /** "toegestaan", "geweigerd", or for a group of refusals "5 keer geweigerd". */
    String outcome(String outcome, int count) {
        if ("REFUSED".equals(outcome) && count > 1) {
            return fill("refusedTimes", count);
        }
        return text(outcome, outcome);
    }
}
