package be.needtoknow.audit.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** T4: the words of the access report, without a service: every purpose and action the services write has its words. */
class ReportWordsTest {

    /** Every purpose the services write into the trail (grep the services for their PURPOSE constants). */
    static final List<String> PURPOSES = List.of("pupil guidance", "signal intake", "right of access",
            "school rules and sanctions", "whose consent counts (age of discernment)", "preparing a referral",
            "transfer to another school", "referral for help", "referral to the CLB", "referral to a care service",
            "accountability", "pupil import", "staff import", "staff directory", "retention",
            "registration statistics", "spot unusual access");

    /** Every action about a pupil the services record. */
    static final List<String> ACTIONS = List.of("pupil.create", "pupil.update", "pupil.import", "pupil.export",
            "pupil.discernment.read", "access-request.register", "access-request.list", "access-package.read",
            "staff.import", "staff.list", "case-file.open", "case-file.read", "case-file.list", "case-file.close",
            "case-file.purge", "pupil.leave", "pupil.return", "pupil.purge", "signal.purge", "discipline-measure.purge",
            "access-request.purge", "referral.purge", "referral-feedback.purge", "transfer-notice.purge", "care-team.add", "care-team.read", "care-team.remove", "confidentiality-notice.record",
            "confidentiality-notice.read", "note.write", "note.correct", "note.read", "note.list", "note.summaries",
            "note.disclose", "signal.report", "signal.read", "signal.intake", "signal.take-up", "discipline.register",
            "discipline.read", "referral.create", "referral.items", "referral.preview", "referral.consent",
            "referral.urgent-danger", "referral.send", "referral.withdraw", "referral.list", "referral.acknowledge",
            "referral.accept", "referral.decline", "referral.close", "referral.feedback", "referral.feedback.read",
            "transfer.notice.read", "transfer.notice.agree", "transfer.notice.object", "audit.search", "audit.export",
            "audit.report", "audit.proof.inclusion", "authenticate", "identify-organisation", "concurrent-change");

    static final List<String> ROLES = List.of("teacher", "pupil-counsellor", "care-coordinator", "principal",
            "discipline", "dpo", "clb-worker", "youth-care-worker");

    static ReportWords words(String language, Directory.Names names) {
        Locale locale = Locale.forLanguageTag(language);
        return new ReportWords(ResourceBundle.getBundle("report.messages", locale), names, "school-sint-jan", "SCHOOL",
                locale, ZoneId.of("Europe/Brussels"), Map.of());
    }

    @Test
    void t4_everyPurposeActionAndFunctionHasWordsInDutchAndEnglish() {
        for (String language : List.of("nl", "en")) {
            ResourceBundle bundle = ResourceBundle.getBundle("report.messages", Locale.forLanguageTag(language));
            for (String purpose : PURPOSES) {
                String key = "purpose." + purpose.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
                assertTrue(bundle.containsKey(key), language + ": no words for the purpose " + purpose);
            }
            for (String action : ACTIONS) {
                assertTrue(bundle.containsKey("action." + action), language + ": no words for the action " + action);
            }
            for (String role : ROLES) {
                assertTrue(bundle.containsKey("role." + role), language + ": no words for the function " + role);
            }
        }
        // In Dutch, no purpose is shown in English.
        ReportWords dutch = words("nl", Directory.Names.NONE);
        for (String purpose : PURPOSES) {
            assertNotEquals(purpose, dutch.purpose(purpose), purpose);
        }
        // An unknown purpose keeps its own text; a disclosure names where it went.
        assertEquals("a purpose of tomorrow", words("nl", Directory.Names.NONE).purpose("a purpose of tomorrow"));
        assertEquals("een doorverwijzing naar CLB Gent", words("nl", new Directory.Names(Map.of(),
                Map.of("clb-gent", new Directory.Organisation("CLB Gent", "CLB")))).purpose("referral to clb-gent"));
    }

    @Test
    void t4_whoIsNamedByNameFunctionAndSchoolOrByFunctionAndKindNeverByCode() throws Exception {
        ObjectMapper json = new ObjectMapper();
        var bart = json.readTree("""
                {"username": "bart.counsellor", "role": "pupil-counsellor", "organisationId": "school-sint-jan", "organisationType": "school"}""");
        var platform = json.readTree("""
                {"username": "service-account-school-sint-jan-system", "role": "school-system", "organisationId": "school-sint-jan", "organisationType": "school"}""");
        var clb = json.readTree("""
                {"username": "service-account-clb-gent-system", "role": "recipient-system", "organisationId": "clb-gent", "organisationType": "clb"}""");
        var anonymous = json.readTree("{\"username\": \"anonymous\", \"role\": \"none\"}");
        Directory.Names names = new Directory.Names(
                Map.of("bart.counsellor", new Directory.Person("Bart Claes", List.of("pupil-counsellor"))),
                Map.of("school-sint-jan", new Directory.Organisation("Sint-Jansschool", "SCHOOL"),
                        "clb-gent", new Directory.Organisation("CLB Gent", "CLB")));
        ReportWords known = words("nl", names);
        assertEquals("Bart Claes, leerlingbegeleider, Sint-Jansschool", known.who(bart));
        assertEquals("het schoolplatform van Sint-Jansschool", known.who(platform));
        assertEquals("het systeem van CLB Gent", known.who(clb));
        ReportWords unknown = words("nl", Directory.Names.NONE);
        assertEquals("een leerlingbegeleider van de school", unknown.who(bart));
        assertEquals("het schoolplatform van de school", unknown.who(platform));
        assertEquals("het systeem van een CLB", unknown.who(clb));
        assertEquals("iemand die niet aangemeld was", unknown.who(anonymous));
        assertEquals("a pupil counsellor of the school", words("en", Directory.Names.NONE).who(bart));
    }

    @Test
    void t4_theSchoolsNameInThePrintStylesheetCannotEndTheStringOrTheStyleElement() {
        String css = be.needtoknow.common.link.LinkPages.cssString("Sint-Jan \"</style><script>x</script>\\ Zoë");
        assertTrue(css.startsWith("\"Sint-Jan ") && css.endsWith("\""), css);
        String inner = css.substring(1, css.length() - 1);
        assertFalse(inner.contains("\"") || inner.contains("<") || inner.contains(">"), css);
        assertTrue(inner.contains("\\0000eb"), "ë as a CSS escape: " + css);
        assertEquals("\"Sint-Jansschool\"", be.needtoknow.common.link.LinkPages.cssString("Sint-Jansschool"));
    }
}
