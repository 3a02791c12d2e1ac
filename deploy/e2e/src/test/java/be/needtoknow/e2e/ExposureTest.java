package be.needtoknow.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import be.needtoknow.stack.KafkaAccess;
import be.needtoknow.stack.Suite;
import be.needtoknow.stack.Tokens;

/**
 * N2, N3, C1, C2, X, A3 as data: what each party can actually obtain equals docs/entitlements.md.
 * A world is built through the APIs in which every piece of content is a unique marker (a canary);
 * then every party calls every GET endpoint of the three services (from their live OpenAPI
 * documents, with ids of its own organisation and of others) and reads every topic of the broker
 * with its Kafka credentials. The kinds of markers each party obtained must equal its row of the
 * table: not more (a leak), not less (a suite that refuses everything is no use). Last, the
 * servers' logs of the run hold no marker, pupil name, link secret or token.
 *
 * <p>The family's links (X, T4) reach the family only, by e-mail: the world takes them from the
 * family's mailboxes, as the family would, and every secret delivered is a canary of its own. No
 * answer to a caller with a token (staff, the DPO, the school's and the recipients' systems) while
 * the world is built, nothing any party but the link's holder obtains in the scan, no record of any
 * topic and no line of any log may hold one. Failure messages name the link, never its secret.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExposureTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /**
     * audit-service first: a party's own refused attempts are in its organisation's trail, and a
     * DPO who had just asked for a referral by its id would find that id there.
     */
    private static final List<String> SERVICES = List.of("audit-service", "case-service", "referral-service");
    private static final String ACCEPT = "application/json, application/x-ndjson;q=0.9, text/csv;q=0.8, "
            + "text/plain;q=0.7, text/html;q=0.5, */*;q=0.1";
    private static final String NO_ACL = "exposure-no-acl";
    private static final String NO_ACL_PASSWORD = "test-only-exposure-no-acl";

    private Suite suite;
    private Entitlements table;
    private final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    /** Marker → kind. */
    private final Map<String, String> markers = new LinkedHashMap<>();
    /** What must never appear in a log: marker, name, secret or token → what it is. */
    private final Map<String, String> secrets = new LinkedHashMap<>();
    /** Party → kind → where it surfaced. */
    private final Map<String, Map<String, Set<String>>> obtained = new TreeMap<>();
    /** The secret of every family link delivered in the run → which link (X, T4: the family's mailbox only). */
    private final Map<String, String> familySecrets = new LinkedHashMap<>();
    /** The world's answers to callers with a token, as "where" → body and headers, searched for the family's secrets. */
    private final Map<String, String> answersToTokens = new LinkedHashMap<>();
    /** Where a family link's secret surfaced outside the family's mailbox (no secret in the text). */
    private final Set<String> familySecretLeaks = new TreeSet<>();

    // The world's ids.
    private String pupil;
    private String caseFile;
    private String lindeCaseFile;
    private String referral;
    private String withdrawn;
    private String transfer;
    private String objected;
    private final List<String> parentsLinks = new ArrayList<>();
    private final List<String> pupilLinks = new ArrayList<>();
    private final List<String> parentsAccessLinks = new ArrayList<>();
    private final List<String> pupilAccessLinks = new ArrayList<>();
    private final List<Long> leaves = new ArrayList<>();
    /** The family's addresses in the pupil register: a parent's, and the pupil's own (she is 14, M1). */
    private String parentsAddress;
    private String pupilAddress;

    @BeforeAll
    void start() throws Exception {
        table = Entitlements.load(Entitlements.DOCUMENT);
        suite = SharedSuite.get();
        buildTheWorld();
    }

    // ---------------------------------------------------------------- HTTP

    private record Answer(int status, String body, String headers) {
    }

    private Answer call(String method, String url, String token, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Accept", ACCEPT);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::setHeader);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String head = response.headers().map().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                    .collect(Collectors.joining("\n"));
            return new Answer(response.statusCode(), response.body(), head);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A call of the world's making that must succeed with this status; returns the body as JSON. */
    private JsonNode expect(int status, String method, String service, String path, String token, String body,
            Map<String, String> headers) {
        Answer answer = call(method, suite.serviceUrl(service) + path, token, body, headers);
        if (token != null) {
            answersToTokens.put(method + " " + service + path + " #" + answersToTokens.size(),
                    answer.body() + "\n" + answer.headers());
        }
        assertEquals(status, answer.status(), method + " " + service + path + ": " + answer.body());
        try {
            return answer.body().isBlank() ? JSON.nullNode() : JSON.readTree(answer.body());
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(answer.body());
        }
    }

    private JsonNode expect(int status, String method, String service, String path, String token, String body) {
        return expect(status, method, service, path, token, body, Map.of());
    }

    private final Map<String, String> tokens = new HashMap<>();

    /** A party's token: password grant for people, client credentials for systems, none for the others. */
    private String tokenOf(String party) {
        if (party.equals("anonymous") || party.endsWith("-link") || party.startsWith("kafka:")) {
            return null;
        }
        String token = party.endsWith("-system")
                ? Tokens.clientCredentials(suite.keycloak().tokenEndpoint(), party, Tokens.devSecret(party))
                : Tokens.password(suite.keycloak().tokenEndpoint(), party, Tokens.DEMO_PASSWORD);
        tokens.put(party, token);
        secrets.put(token, "the token of " + party);
        return token;
    }

    private String marker(String kind) {
        String marker = "CANARY-" + kind + "-" + run;
        markers.put(marker, kind);
        secrets.put(marker, "marker of " + kind);
        return marker;
    }

    private static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- the world

    /** Adds a person to the realm (with the organisation attributes realm.json gives its users) and a realm role. */
    private void addRealmUser(String admin, String username, String role, String organisation) {
        String base = suite.keycloak().url() + "/admin/realms/need-to-know";
        String user = """
                {"username": "%s", "enabled": true, "emailVerified": true, "email": "%s@%s.example",
                 "firstName": "%s", "lastName": "Test",
                 "attributes": {"org_id": ["%s"], "org_type": ["school"]},
                 "credentials": [{"type": "password", "value": "%s", "temporary": false}]}"""
                .formatted(username, username, organisation, username, organisation, Tokens.DEMO_PASSWORD);
        Answer created = call("POST", base + "/users", admin, user, Map.of());
        assertEquals(201, created.status(), "adding " + username + " to the realm: " + created.body());
        Answer found = call("GET", base + "/users?exact=true&username=" + username, admin, null, Map.of());
        String id = read(found.body()).get(0).get("id").asText();
        Answer roleAnswer = call("GET", base + "/roles/" + role, admin, null, Map.of());
        Answer mapped = call("POST", base + "/users/" + id + "/role-mappings/realm", admin, "[" + roleAnswer.body() + "]",
                Map.of());
        assertEquals(204, mapped.status(), "role of " + username + ": " + mapped.body());
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(body, e);
        }
    }

    private void buildTheWorld() throws Exception {
        // Two more people at Sint-Jan, as in the matrix tests' world: a teacher of another class (who
        // reports the signal) and a counsellor on the care team who does not own the file.
        String admin = Tokens.fetch(suite.keycloak().url() + "/realms/master/protocol/openid-connect/token",
                Map.of("grant_type", "password", "client_id", "admin-cli", "username", Suite.DEV_KEYCLOAK_ADMIN[0],
                        "password", Suite.DEV_KEYCLOAK_ADMIN[1]));
        secrets.put(admin, "the Keycloak administrator's token");
        String profileUrl = suite.keycloak().url() + "/admin/realms/need-to-know/users/profile";
        com.fasterxml.jackson.databind.node.ObjectNode profile = (com.fasterxml.jackson.databind.node.ObjectNode) read(
                call("GET", profileUrl, admin, null, Map.of()).body());
        profile.put("unmanagedAttributePolicy", "ENABLED");
        assertEquals(200, call("PUT", profileUrl, admin, profile.toString(), Map.of()).status(), "the realm's user profile");
        addRealmUser(admin, "tom.teacher", "teacher", "school-sint-jan");
        addRealmUser(admin, "bert.counsellor", "pupil-counsellor", "school-sint-jan");

        String platform = tokenOf("school-sint-jan-system");
        pupil = "sj-x" + run.substring(0, 6);
        String given = marker("pupil-identity") + "-given";
        String family = marker("pupil-identity") + "-family";
        markers.remove("CANARY-pupil-identity-" + run);
        secrets.remove("CANARY-pupil-identity-" + run);
        markers.put(given, "pupil-identity");
        markers.put(family, "pupil-identity");
        secrets.put(given, "the pupil's given name");
        secrets.put(family, "the pupil's family name");
        // The family's contacts, as the school platform registers them: where the family's links go (X, T4).
        parentsAddress = FamilyMail.parentOf(pupil);
        pupilAddress = FamilyMail.pupilAddressOf(pupil);
        expect(200, "PUT", "case-service", "/pupils", platform, """
                {"pupils": [{"pupilId": "%s", "givenName": "%s", "familyName": "%s", "birthDate": "2012-03-14",
                             "classGroup": "2A", "parents": [{"name": "Parent Test", "email": "%s"}],
                             "pupilEmail": "%s"}]}""".formatted(pupil, given, family, parentsAddress, pupilAddress));
        expect(200, "PUT", "case-service", "/staff", platform, """
                {"staff": [{"username": "tom.teacher", "name": "Tom Test", "functions": ["teacher"], "classGroups": ["3C"]},
                           {"username": "bert.counsellor", "name": "Bert Test", "functions": ["pupil-counsellor"],
                            "classGroups": []}]}""");

        // The case file, its notes (each visibility, and a correction) and its care team (N3, S1).
        String owner = tokenOf("bart.counsellor");
        String auditSchool = marker("audit-school");
        caseFile = expect(201, "POST", "case-service", "/case-files", owner,
                "{\"pupilId\": \"%s\", \"reason\": %s}".formatted(pupil, quote(marker("case-reason"))),
                Map.of("X-Correlation-Id", auditSchool)).get("id").asText();
        String files = "/case-files/" + caseFile;
        expect(201, "POST", "case-service", files + "/confidentiality-notices", owner,
                "{\"givenAt\": \"%s\", \"how\": \"SPOKEN\"}".formatted(Instant.now().minus(Duration.ofHours(1))));
        expect(201, "POST", "case-service", files + "/notes", owner, "{\"kind\": \"OBSERVATION\", \"visibility\": "
                + "\"PRIVATE\", \"text\": %s}".formatted(quote(marker("note-private"))));
        // Two care-team notes: a meeting's (corrected below), which the parents' package carries, and
        // what the pupil confided, which the parents' package of a pupil of 12 or more leaves out (M1).
        String teamNote = expect(201, "POST", "case-service", files + "/notes", owner, "{\"kind\": \"MEETING\", "
                + "\"visibility\": \"CARE_TEAM\", \"text\": %s}".formatted(quote(marker("note-care-team")))).get("id").asText();
        String confided = marker("note-care-team") + "-conversation";
        markers.put(confided, "note-care-team");
        secrets.put(confided, "marker of note-care-team (a conversation)");
        expect(201, "POST", "case-service", files + "/notes", owner, "{\"kind\": \"CONVERSATION\", "
                + "\"visibility\": \"CARE_TEAM\", \"text\": %s}".formatted(quote(confided)));
        expect(201, "POST", "case-service", files + "/notes", owner, "{\"kind\": \"AGREEMENT\", \"visibility\": "
                + "\"TEACHERS\", \"text\": %s}".formatted(quote(marker("note-teachers"))));
        expect(201, "POST", "case-service", files + "/notes/" + teamNote + "/corrections", owner,
                "{\"text\": %s}".formatted(quote(marker("note-correction"))));
        expect(201, "POST", "case-service", files + "/care-team", owner,
                "{\"username\": \"bert.counsellor\", \"role\": \"pupil-counsellor\", \"purpose\": \"Second counsellor\"}");

        // A signal (S4): its reporter is tom.teacher, whose user name is the marker of who reported.
        markers.put("tom.teacher", "signal-reporter");
        expect(201, "POST", "case-service", "/signals", tokenOf("tom.teacher"),
                "{\"pupilId\": \"%s\", \"concern\": %s}".formatted(pupil, quote(marker("signal-concern"))));
        // A discipline measure (R1).
        expect(201, "POST", "case-service", "/pupils/" + pupil + "/discipline-measures", tokenOf("eva.discipline"),
                "{\"measureType\": %s, \"decidedOn\": \"%s\"}".formatted(quote(marker("discipline")),
                        LocalDate.now(ZoneOffset.UTC)));

        // A referral to CLB Gent (N1, T1), accepted, with feedback released and one not (C2).
        String consent = """
                {"consulted": [{"party": "PUPIL", "when": "%1$s", "how": %2$s, "answer": "AGREED"},
                               {"party": "PARENTS", "when": "%1$s", "how": %2$s, "answer": "AGREED"}],
                 "parentsNotInformed": false}""";
        String when = Instant.now().minus(Duration.ofHours(2)).toString();
        String consentMarker = quote(marker("consent"));
        referral = draft(owner, "clb-gent", """
                [{"type": "QUESTION", "purpose": "what we ask the CLB", "text": %s},
                 {"type": "PUPIL", "purpose": "to contact the pupil", "givenName": "%s", "familyName": "%s",
                  "birthDate": "2012-03-14"},
                 {"type": "CONTACT", "purpose": "to reach the school", "name": "Bart Claes", "phone": "09 000 00 00"}]"""
                .formatted(quote(marker("referral-items")), given, family));
        expect(200, "POST", "referral-service", "/referrals/" + referral + "/consent", owner, consent.formatted(when, consentMarker));
        sendWithNotices(referral, owner, "the accepted referral");
        String clb = tokenOf("clb-gent-system");
        expect(200, "POST", "referral-service", "/referrals/" + referral + "/receipt", clb, null);
        expect(200, "POST", "referral-service", "/referrals/" + referral + "/acceptance", clb, null,
                Map.of("X-Correlation-Id", marker("audit-clb")));
        expect(201, "POST", "referral-service", "/referrals/" + referral + "/feedback", clb,
                "{\"text\": %s, \"releasedForSchool\": true}".formatted(quote(marker("feedback-released"))));
        expect(400, "POST", "referral-service", "/referrals/" + referral + "/feedback", clb,
                "{\"text\": %s, \"releasedForSchool\": false}".formatted(quote(marker("feedback-withheld"))));
        markers.put(referral, "referral-status");

        // A referral sent, then withdrawn (T3).
        withdrawn = draft(owner, "clb-gent", "[{\"type\": \"QUESTION\", \"purpose\": \"what we ask\", \"text\": %s}]"
                .formatted(quote(marker("withdrawn-items"))));
        expect(200, "POST", "referral-service", "/referrals/" + withdrawn + "/consent", owner, consent.formatted(when, consentMarker));
        sendWithNotices(withdrawn, owner, "the withdrawn referral");
        expect(200, "POST", "referral-service", "/referrals/" + withdrawn + "/withdraw", owner, null);
        markers.put(withdrawn, "referral-status");

        // A transfer to De Linde (X), agreed through both links (from the family's mailboxes) and sent ...
        String discussion = consent.replace("\"how\": %2$s", "\"how\": \"conversation at school\"");
        transfer = draft(owner, "school-de-linde", """
                [{"type": "QUESTION", "purpose": "to continue the support", "text": %s},
                 {"type": "CONTACT", "purpose": "to reach the school", "name": "Bart Claes", "phone": "09 000 00 00"}]"""
                .formatted(quote(marker("transfer-items"))));
        Map<String, String> links = discuss(transfer, owner, discussion.formatted(when), "the sent transfer");
        expect(200, "POST", "referral-service", "/transfer-notices/" + links.get("PARENTS") + "/agreement", null, null);
        expect(200, "POST", "referral-service", "/transfer-notices/" + links.get("PUPIL") + "/agreement", null, null);
        expect(200, "POST", "referral-service", "/referrals/" + transfer + "/send", owner, null);
        // ... and one held back by the parents' objection.
        objected = draft(owner, "school-de-linde",
                "[{\"type\": \"QUESTION\", \"purpose\": \"to continue the support\", \"text\": \"Extra time for tests.\"}]");
        Map<String, String> objectedLinks = discuss(objected, owner, discussion.formatted(when), "the objected transfer");
        expect(200, "POST", "referral-service", "/transfer-notices/" + objectedLinks.get("PARENTS") + "/objection", null,
                "{\"reason\": %s}".formatted(quote(marker("objection"))));
        parentsLinks.addAll(List.of(links.get("PARENTS"), objectedLinks.get("PARENTS")));
        pupilLinks.addAll(List.of(links.get("PUPIL"), objectedLinks.get("PUPIL")));

        // The right of access (T4): the DPO registers the parents' and the pupil's requests; case-service
        // mails each its link, through which they read what the school holds.
        String dpo = tokenOf("frank.dpo");
        for (String requester : List.of("PARENTS", "PUPIL")) {
            FamilyMail.Mark mailbox = FamilyMail.mark(suite, requester.equals("PARENTS") ? parentsAddress : pupilAddress,
                    FamilyMail.ACCESS_PACKAGE);
            expect(201, "POST", "case-service", "/pupils/" + pupil + "/access-requests", dpo, """
                    {"requestedBy": "%s", "requestedAt": "%s", "identityCheck": "identity card shown at the office"}"""
                    .formatted(requester, Instant.now().minus(Duration.ofHours(1))));
            (requester.equals("PARENTS") ? parentsAccessLinks : pupilAccessLinks)
                    .add(familyLink(mailbox, "the " + requester + " access link"));
        }

        // De Linde's own case file, so that its parties also call with ids of their own organisation.
        lindeCaseFile = expect(201, "POST", "case-service", "/case-files", tokenOf("hans.counsellor"),
                "{\"pupilId\": \"dl-0001\", \"reason\": \"De Linde's own file\"}").get("id").asText();

        // The pupil's pseudonym, as the services compute it (HMAC-SHA-256, the development key).
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Suite.DEV_PSEUDONYM_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String pseudonym = HexFormat.of().formatHex(mac.doFinal(("school-sint-jan\n" + pupil).getBytes(StandardCharsets.UTF_8)));
        markers.put(pseudonym, "pseudonym");

        awaitDelivery();

        // No answer to a caller with a token held a family link's secret (only the family's mailbox does).
        answersToTokens.forEach((where, answer) -> familySecrets.forEach((secret, what) -> {
            if (answer.contains(secret)) {
                familySecretLeaks.add("LEAK  " + what + " in the answer to " + where.substring(0, where.lastIndexOf(" #")));
            }
        }));
    }

    /** A draft referral with its items; its id. */
    private String draft(String owner, String recipient, String items) {
        String id = expect(201, "POST", "referral-service", "/referrals", owner, """
                {"pupilId": "%s", "recipientId": "%s"}""".formatted(pupil, recipient))
                .get("id").asText();
        expect(200, "PUT", "referral-service", "/referrals/" + id + "/items", owner, "{\"items\": " + items + "}");
        return id;
    }

    /**
     * Sends a referral with consent: case-service mails the family a notice of it (T1, T3), to the pupil
     * (14: her consent counted, M1) and to the parents (she did not ask to leave them out). Their links
     * are canaries like every family link, and their holders are the rows parents-link and pupil-link.
     */
    private void sendWithNotices(String id, String owner, String what) {
        FamilyMail.Mark parents = FamilyMail.mark(suite, parentsAddress, FamilyMail.REFERRAL_NOTICE);
        FamilyMail.Mark ownMail = FamilyMail.mark(suite, pupilAddress, FamilyMail.REFERRAL_NOTICE);
        expect(200, "POST", "referral-service", "/referrals/" + id + "/send", owner, null);
        parentsLinks.add(familyLink(parents, "the parents' notice of " + what));
        pupilLinks.add(familyLink(ownMail, "the pupil's notice of " + what));
    }

    /**
     * Records a transfer's discussion; case-service mails a notice to the parents and one to the pupil
     * (X, M1). Returns their links as the family received them: party → "id.secret".
     */
    private Map<String, String> discuss(String transfer, String owner, String discussion, String what) {
        FamilyMail.Mark parents = FamilyMail.mark(suite, parentsAddress, FamilyMail.TRANSFER_NOTICE);
        FamilyMail.Mark ownMail = FamilyMail.mark(suite, pupilAddress, FamilyMail.TRANSFER_NOTICE);
        JsonNode discussed = expect(200, "POST", "referral-service", "/referrals/" + transfer + "/consent", owner, discussion);
        Set<String> notified = new TreeSet<>();
        discussed.path("notices").forEach(n -> notified.add(n.path("party").asText()));
        assertEquals(Set.of("PARENTS", "PUPIL"), notified, "a pupil of 14 gets a notice of her own (M1)");
        Map<String, String> links = new HashMap<>();
        links.put("PARENTS", familyLink(parents, "the parents' notice of " + what));
        links.put("PUPIL", familyLink(ownMail, "the pupil's notice of " + what));
        return links;
    }

    /**
     * The newest family link of a marked mailbox, as "id.secret"; its secret becomes a canary that
     * nobody but the link's holder may obtain and no log may hold.
     */
    private String familyLink(FamilyMail.Mark mailbox, String what) {
        String link = mailbox.next();
        String secret = FamilyMail.secret(link, mailbox.kind());
        familySecrets.put(secret, "the secret of " + what);
        secrets.put(secret, "the secret of " + what);
        return FamilyMail.credential(link, mailbox.kind());
    }

    /** Waits until the events reached their topics and the two marked audit records are in the trail; keeps their leaves. */
    private void awaitDelivery() {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        String dpo = tokenOf("frank.dpo");
        Set<String> wanted = markers.entrySet().stream().filter(e -> e.getValue().startsWith("audit-"))
                .map(Map.Entry::getKey).collect(Collectors.toSet());
        while (true) {
            Answer answer = call("GET", suite.serviceUrl("audit-service") + "/audit-records?size=500&pupilId=" + pupil, dpo,
                    null, Map.of());
            leaves.clear();
            Set<String> seen = new HashSet<>();
            if (answer.status() == 200) {
                for (JsonNode record : read(answer.body())) {
                    for (String marker : wanted) {
                        if (record.toString().contains(marker) && seen.add(marker)) {
                            leaves.add(record.get("leafIndex").asLong());
                        }
                    }
                }
            }
            if (seen.equals(wanted)) {
                break;
            }
            assertTrue(Instant.now().isBefore(deadline), "the marked audit records did not reach the trail: " + answer);
            sleep(500);
        }
        Map<String, Object> admin = suite.kafka().adminConfig();
        for (String[] wait : List.of(new String[] { "ntk.referrals.clb-gent.v1", withdrawn, "withdrawn" },
                new String[] { "ntk.referrals.school-de-linde.v1", transfer, "sent" })) {
            List<be.needtoknow.testing.TestTopics.Received> read = be.needtoknow.testing.TestTopics.readUntil(admin,
                    wait[0], r -> r.value() != null && r.value().contains(wait[1])
                            && String.valueOf(r.headers().get("ce_type")).contains(wait[2]), Duration.ofSeconds(60));
            assertTrue(read.stream().anyMatch(r -> r.value() != null && r.value().contains(wait[1])
                    && String.valueOf(r.headers().get("ce_type")).contains(wait[2])), "no " + wait[2] + " event on " + wait[0]);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- what each party obtains

    private void obtained(String party, String text, String requested, String calledAt) {
        if (text == null || text.isEmpty()) {
            return;
        }
        // A link holder's own calls carry its secret in the path: a failure message names it instead.
        String where = withoutFamilySecrets(calledAt);
        // A family link's secret is its holder's alone (X, T4): any other party that obtains it is a leak.
        if (!party.endsWith("-link")) {
            familySecrets.forEach((secret, what) -> {
                if (text.contains(secret)) {
                    familySecretLeaks.add("LEAK  " + party + " obtained " + what + " at " + where);
                }
            });
        }
        markers.forEach((marker, kind) -> {
            // A marker the caller put into its own request (a 404 may name the id asked for) is not obtained.
            if (text.contains(marker) && !requested.contains(marker)) {
                obtained.computeIfAbsent(party, p -> new TreeMap<>()).computeIfAbsent(kind, k -> new TreeSet<>()).add(where);
            }
        });
    }

    /** A text as a failure message may show it: each family link's secret replaced by which link it is. */
    private String withoutFamilySecrets(String text) {
        String shown = text;
        for (Map.Entry<String, String> secret : familySecrets.entrySet()) {
            shown = shown.replace(secret.getKey(), "[" + secret.getValue() + "]");
        }
        return shown;
    }

    /** The values a path parameter takes, for a party: ids of its own organisation and of others. */
    private List<String> valuesOf(String service, String parameter, String party, List<String> problems) {
        return switch (service + " " + parameter) {
            case "case-service id" -> List.of(caseFile, lindeCaseFile);
            case "case-service pupilId", "audit-service pupilId", "referral-service pupilId" -> List.of(pupil, "dl-0001");
            case "referral-service id" -> List.of(referral, withdrawn, transfer, objected);
            // The notices of the referrals and the transfers: each holder its own links (T1, T3, X, M1) ...
            case "referral-service link" -> party.equals("parents-link") ? parentsLinks
                    : party.equals("pupil-link") ? pupilLinks
                    // ... anyone else real notices with a secret that is not their own.
                    : parentsLinks.stream().map(l -> l.substring(0, l.indexOf('.') + 1)
                            + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").toList();
            case "case-service link" -> party.equals("parents-access-link") ? parentsAccessLinks
                    : party.equals("pupil-access-link") ? pupilAccessLinks
                    // Anyone else: a real request with a secret that is not its own.
                    : List.of(parentsAccessLinks.get(0).substring(0, parentsAccessLinks.get(0).indexOf('.') + 1)
                            + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
            default -> {
                problems.add(service + ": no values for the path parameter {" + parameter + "}: give them in ExposureTest");
                yield List.of();
            }
        };
    }

    /** The queries each GET endpoint is called with (the DPO's search, narrowed to the pupil, and the proofs). */
    private List<String> queriesOf(String service, String path) {
        return switch (service + " " + path) {
            case "audit-service /audit-records" -> List.of("", "?size=500", "?size=500&pupilId=" + pupil);
            case "audit-service /audit-records/export" -> List.of("", "?pupilId=" + pupil);
            case "audit-service /audit-log/proofs/inclusion" -> leaves.stream().map(l -> "?leafIndex=" + l).toList();
            case "audit-service /audit-log/proofs/consistency" -> List.of("?first=1");
            default -> List.of("");
        };
    }

    /** Each service's GET paths, each with the media types its answers come in (a JSON list, a printable page ...). */
    private Map<String, Map<String, Set<String>>> getEndpoints(List<String> problems) {
        Map<String, Map<String, Set<String>>> endpoints = new LinkedHashMap<>();
        for (String service : SERVICES) {
            JsonNode paths = read(call("GET", suite.serviceUrl(service) + "/q/openapi?format=json", null, null, Map.of())
                    .body()).get("paths");
            Map<String, Set<String>> byPath = new LinkedHashMap<>();
            paths.fields().forEachRemaining(e -> {
                if (e.getValue().has("get")) {
                    Set<String> types = new TreeSet<>();
                    e.getValue().get("get").path("responses").forEach(r -> r.path("content").fieldNames()
                            .forEachRemaining(t -> {
                                if (!t.contains("problem")) {
                                    types.add(t);
                                }
                            }));
                    byPath.put(e.getKey(), types);
                }
            });
            List<String> gets = new ArrayList<>(byPath.keySet());
            endpoints.put(service, byPath);
            Set<String> listed = table.endpoints().stream().filter(e -> e.startsWith(service + " "))
                    .map(e -> e.substring(service.length() + 1)).collect(Collectors.toCollection(TreeSet::new));
            for (String get : gets) {
                if (!listed.contains(get)) {
                    problems.add("GET " + service + get + " has no line in the endpoints of " + Entitlements.DOCUMENT
                            + ": write which kinds it may carry");
                }
            }
            listed.removeAll(gets);
            listed.forEach(gone -> problems.add(Entitlements.DOCUMENT + " lists GET " + service + gone + ", which "
                    + service + " does not have"));
        }
        return endpoints;
    }

    private static final Pattern PARAMETER = Pattern.compile("\\{([^}]+)}");

    private void scanHttp(String party, Map<String, Map<String, Set<String>>> endpoints, List<String> problems) {
        String token = tokenOf(party);
        for (Map.Entry<String, Map<String, Set<String>>> service : endpoints.entrySet()) {
            for (Map.Entry<String, Set<String>> endpoint : service.getValue().entrySet()) {
                String path = endpoint.getKey();
                // Each representation the endpoint offers (JSON, a printable page, CSV), or whatever it answers.
                List<Map<String, String>> accepts = endpoint.getValue().size() < 2 ? List.of(Map.of())
                        : endpoint.getValue().stream().map(t -> Map.of("Accept", t)).toList();
                List<String> targets = List.of(path);
                Matcher m = PARAMETER.matcher(path);
                while (m.find()) {
                    String placeholder = m.group();
                    List<String> values = valuesOf(service.getKey(), m.group(1), party, problems);
                    List<String> next = new ArrayList<>();
                    for (String target : targets) {
                        for (String value : values) {
                            next.add(target.replace(placeholder, value));
                        }
                    }
                    targets = next;
                }
                for (String target : targets) {
                    for (String query : queriesOf(service.getKey(), path)) {
                        String requested = target + query;
                        for (Map<String, String> accept : accepts) {
                            Answer answer = call("GET", suite.serviceUrl(service.getKey()) + requested, token, null, accept);
                            // A refusal's problem document counts as much as a 200: what it says, the party obtained.
                            String where = "GET " + service.getKey() + requested
                                    + (accept.isEmpty() ? "" : " (" + accept.get("Accept") + ")") + " → " + answer.status();
                            obtained(party, answer.body(), requested, where);
                            obtained(party, answer.headers(), requested, where);
                        }
                    }
                }
            }
        }
    }

    /** Every topic of the broker, read from the beginning to its end with the principal's credentials. */
    private void scanKafka(String party, List<String> topics) {
        String principal = party.substring("kafka:".length());
        Map<String, Object> client = principal.equals("no-acl")
                ? suite.kafka().clientConfig(NO_ACL, NO_ACL_PASSWORD)
                : suite.kafka().clientConfig(principal, KafkaAccess.developmentPassword(principal));
        Properties props = new Properties();
        props.putAll(client);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            for (String topic : topics) {
                List<TopicPartition> partitions;
                try {
                    List<PartitionInfo> info = consumer.partitionsFor(topic);
                    partitions = info.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
                } catch (KafkaException refused) {
                    continue; // the broker refuses: not obtained
                }
                try {
                    consumer.assign(partitions);
                    consumer.seekToBeginning(partitions);
                    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
                    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
                    while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))
                            && Instant.now().isBefore(deadline)) {
                        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                            String where = "topic " + topic + " offset " + r.partition() + ":" + r.offset();
                            obtained(party, text(r.key()), "", where + " (key)");
                            obtained(party, text(r.value()), "", where + " (value)");
                            for (Header h : r.headers()) {
                                obtained(party, h.key() + "=" + text(h.value()), "", where + " (header " + h.key() + ")");
                            }
                        }
                    }
                } catch (KafkaException refused) {
                    // described but not readable: not obtained
                }
            }
        }
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    @Order(1)
    void n2_eachPartyObtainsExactlyWhatDocsEntitlementsSays() throws Exception {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, Set<String>>> endpoints = getEndpoints(problems);
        List<String> topics;
        try (Admin admin = Admin.create(suite.kafka().adminConfig())) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(NO_ACL,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), NO_ACL_PASSWORD))).all().get();
            topics = admin.listTopics().names().get().stream().filter(t -> !t.startsWith("__")).sorted().toList();
        }
        // The DPOs first: the trail they search grows with every call of the scan.
        List<String> parties = new ArrayList<>(table.parties());
        parties.sort((a, b) -> Boolean.compare(!a.endsWith(".dpo"), !b.endsWith(".dpo")));
        Set<String> kafkaPrincipals = new TreeSet<>(suite.kafkaAccess().principals());
        for (String party : parties) {
            if (party.startsWith("kafka:")) {
                String principal = party.substring("kafka:".length());
                if (!principal.equals("no-acl") && !kafkaPrincipals.remove(principal)) {
                    problems.add("party " + party + ": no such principal in deploy/kafka/access.json");
                    continue;
                }
                scanKafka(party, topics);
            } else {
                scanHttp(party, endpoints, problems);
            }
        }
        kafkaPrincipals.forEach(p -> problems.add("Kafka principal " + p + " has no row kafka:" + p + " in " + Entitlements.DOCUMENT));
        // Every person and system of the realm has a row: a new one fails the build until its row is written.
        JsonNode realm = JSON.readTree(suite.settings().repository().resolve("deploy/keycloak/realm.json").toFile());
        for (JsonNode user : realm.path("users")) {
            String name = user.path("username").asText().replaceFirst("^service-account-", "");
            if (!table.parties().contains(name)) {
                problems.add("the realm's " + name + " has no row in " + Entitlements.DOCUMENT);
            }
        }

        List<String> mismatches = new ArrayList<>();
        for (String party : table.parties()) {
            Map<String, Set<String>> got = obtained.getOrDefault(party, Map.of());
            for (String kind : table.kinds()) {
                Entitlements.Cell cell = table.cell(party, kind);
                Set<String> where = got.get(kind);
                if (where != null && !cell.obtains()) {
                    mismatches.add("LEAK  " + party + " obtained " + kind + " (line " + cell.line() + " says no, "
                            + cell.rule() + ") at " + where.stream().limit(4).collect(Collectors.joining("; "))
                            + (where.size() > 4 ? " (+" + (where.size() - 4) + " more)" : ""));
                } else if (where == null && cell.obtains()) {
                    mismatches.add("LESS  " + party + " obtained no " + kind + " (line " + cell.line() + " says yes, "
                            + cell.rule() + ")");
                }
            }
        }
        problems.addAll(mismatches);
        problems.addAll(familySecretLeaks);
        assertEquals("", String.join("\n", problems), problems.size() + " mismatches with " + Entitlements.DOCUMENT
                + " (run " + run + ")");
    }

    /** No marker, pupil name or id, link secret or token in any server's log of this run (A1 records say who, never what). */
    @Test
    @Order(2)
    void n2_theServersLogsHoldNoContentNameSecretOrToken() throws IOException {
        Path logs = suite.settings().logs();
        Map<String, String> never = new LinkedHashMap<>(secrets);
        markers.forEach((marker, kind) -> never.putIfAbsent(marker, "marker of " + kind));
        // A user name is no content: who did what is what logs are for.
        never.remove("tom.teacher");
        // Nor a request's ids: a path may carry them, and a log line keeps the endpoint's template only.
        never.put(pupil, "the pupil's id");
        never.put(caseFile, "the case file's id");
        never.put(lindeCaseFile, "De Linde's case file's id");
        // Nor the family's addresses: what was sent is recorded, never where (X, T4).
        never.put(parentsAddress, "the parents' address");
        never.put(pupilAddress, "the pupil's own address");
        List<String> found = new ArrayList<>();
        List<Path> files;
        try (var listing = Files.list(logs)) {
            files = listing.filter(Files::isRegularFile).sorted().toList();
        }
        assertTrue(files.size() >= 4, "the servers' logs are not where the suite writes them: " + files);
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                for (Map.Entry<String, String> secret : never.entrySet()) {
                    if (line.contains(secret.getKey())) {
                        found.add(file.getFileName() + ":" + (i + 1) + ": " + secret.getValue() + ": "
                                + shown(line, never));
                    }
                }
            }
        }
        assertEquals("", String.join("\n", found), found.size() + " lines of " + logs + " hold what no log may");
    }

    /**
     * A log line as a failure message may show it: what no log may hold replaced by what it is (a
     * secret is never printed, not even in part), then its first 240 characters.
     */
    private static String shown(String line, Map<String, String> never) {
        String shown = line;
        for (Map.Entry<String, String> secret : never.entrySet()) {
            shown = shown.replace(secret.getKey(), "[" + secret.getValue() + "]");
        }
        return shown.substring(0, Math.min(240, shown.length()));
    }
}
