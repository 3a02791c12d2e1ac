package be.needtoknow.audit.query;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import be.needtoknow.audit.AuditEvents;
import be.needtoknow.common.audit.PupilPseudonyms;

/**
 * T4: the variety of actors, purposes and actions the services write about one pupil, put into the
 * trail as the services' outbox relays would (one key: in order): a counsellor, the school's
 * platform, the CLB's system, the parents through a transfer notice, a teacher refused five times
 * in a row on the same note, a note disclosed to CLB Gent, and the DPO's own staff-less actions.
 */
final class PlantedAccesses {

    static final String SCHOOL = "school-sint-jan";
    /** The number of records planted (the report's own records come on top). */
    static final int COUNT = 11;
    /** What the Dutch page must never show: usernames, role codes, organisation ids, account names, English purposes. */
    static final List<String> NEVER_ON_THE_DUTCH_PAGE = List.of("bart.counsellor", "an.teacher", "frank.dpo",
            "service-account", "school-sint-jan", "clb-gent", "school-de-linde", "pupil-counsellor", "school-system",
            "recipient-system", "transfer-notice", "pupil guidance", "pupil import", "referral to the CLB",
            "transfer to another school", "referral to", "preparing a referral", "right of access", "parents-link");

    private static final ObjectMapper JSON = new ObjectMapper();

    private PlantedAccesses() {
    }

    private static ObjectNode record(String pseudonym, OffsetDateTime at, String username, String role,
            String organisationId, String organisationType, String action, String purpose) {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(AuditEvents.record(SCHOOL, pseudonym, username, action));
            node.put("occurredAt", at.toString());
            node.put("purpose", purpose);
            ObjectNode actor = (ObjectNode) node.get("actor");
            actor.put("role", role);
            actor.put("organisationId", organisationId);
            actor.put("organisationType", organisationType);
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Plants the accesses about a new pupil and waits until they are all in the trail; the pupil's id. */
    static String plant(PupilPseudonyms pseudonyms, String dpoToken) {
        String pupil = "p-" + UUID.randomUUID();
        String p = pseudonyms.of(SCHOOL, pupil);
        OffsetDateTime t = OffsetDateTime.now(ZoneOffset.UTC).minusHours(2);
        String note = UUID.randomUUID().toString();
        List<ObjectNode> records = new java.util.ArrayList<>();
        records.add(record(p, t, "bart.counsellor", "pupil-counsellor", SCHOOL, "school", "case-file.open", "pupil guidance"));
        records.add(record(p, t.plusMinutes(1), "service-account-school-sint-jan-system", "school-system", SCHOOL, "school",
                "pupil.update", "pupil import"));
        for (int i = 0; i < 5; i++) {
            ObjectNode refused = record(p, t.plusMinutes(2).plusSeconds(i), "an.teacher", "teacher", SCHOOL, "school",
                    "note.read", "pupil guidance");
            refused.put("outcome", "REFUSED").put("reason", "not on the care team (N3)").put("resourceType", "note")
                    .put("resourceId", note);
            records.add(refused);
        }
        records.add(record(p, t.plusMinutes(3), "bart.counsellor", "pupil-counsellor", SCHOOL, "school", "note.disclose",
                "referral to clb-gent"));
        records.add(record(p, t.plusMinutes(4), "service-account-clb-gent-system", "recipient-system", "clb-gent", "clb",
                "referral.acknowledge", "referral to the CLB"));
        ObjectNode parents = record(p, t.plusMinutes(5), "parents", "none", SCHOOL, "school", "transfer.notice.read",
                "transfer to another school");
        ((ObjectNode) parents.get("actor")).put("subject", "transfer-notice:" + UUID.randomUUID());
        records.add(parents);
        // The last record's actor is unique, to wait for it without a search about the pupil (which is in the report).
        String last = "hans." + UUID.randomUUID().toString().substring(0, 8);
        records.add(record(p, t.plusMinutes(6), last, "pupil-counsellor", "school-de-linde", "school",
                "referral.preview", "transfer to another school"));
        for (ObjectNode r : records) {
            AuditEvents.publish(UUID.randomUUID().toString(), "planted", r.toString());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> given().auth().oauth2(dpoToken).queryParam("actor", last)
                .when().get("/audit-records").then().statusCode(200).extract().<List<Object>>path("eventId").size() == 1);
        return pupil;
    }

    /** Keeps a rendered page in target/ for a person (or a browser) to look at. */
    static void keep(String name, String page) {
        try {
            java.nio.file.Files.writeString(java.nio.file.Path.of("target", name), page);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
