package be.needtoknow.referrals.casefile;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.ConfigProvider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import be.needtoknow.common.referral.ReferralGrant;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A narrow stand-in for case-service in referral-service's own tests, which run without it: only
 * {@code GET /pupils/{pupilId}/discernment}, answering the register's birth date of the test pupils
 * of school-sint-jan (and 404, as case-service does, for any other pupil). It wants the caller's
 * bearer token, as case-service does. Whether the answer is right for the caller's role and school
 * is case-service's to decide and is proved there (PupilDiscernmentTest) and on the real services
 * (deploy/e2e, SuiteEndToEndTest#m1_theBirthDateComesFromThePupilRegister). It also answers
 * {@code POST /case-files/{id}/notes/{noteId}/for-referral} with a note ({@link #NOTE_TEXT}) of the
 * pupil that referral-service's grant names, when the grant verifies with the test key (and 403
 * {@code referral-not-verified} otherwise, as case-service does); who may read which note is
 * case-service's to decide, proved there (NoteTest).
 * <p>
 * X, T3: it answers {@code POST /pupils/{pupilId}/family-messages}, the family channel through which
 * referral-service delivers a transfer notice's link ({@code TRANSFER_NOTICE}) or a referral notice's
 * ({@code REFERRAL_NOTICE}, its path {@code /referral-notices/<id>.<secret>}) to the parents or the
 * pupil, as case-service does: 403 {@code referral-not-verified} without a grant that verifies with the test key and names
 * the referral of the body, the pupil of the path and the caller (the token's subject and
 * organisation); 404 for a pupil not in its register; 409 {@code no-family-contact} when no address
 * is registered for the addressee ({@link #PUPIL_WITHOUT_CONTACT}, or as a test sets them with
 * {@link #familyContacts}); else 201 with what was sent (the parents have two addresses, the pupil
 * one), never the link. It keeps each delivered link, so that a test plays the family with
 * {@link #delivered(String, String)} or {@link #links(String)}. It sends no mail: the real channel is
 * case-service's, proved there and on the real services (deploy/e2e). Any other path gets the
 * connection closed: for those calls case-service cannot be reached.
 * <p>
 * The tests change its register and contacts, read its deliveries and take it down through
 * {@code /_stand-in/…} (see the static helpers), over HTTP, since this resource and the tests live
 * in different class loaders.
 */
public class CaseServiceStandIn implements QuarkusTestResourceLifecycleManager {

    /** 13 years old today: capable of discernment by the age-12 presumption (M1). */
    public static final String PUPIL_OF_13 = "sj-1001";
    /** 10 years old today: below the age of discernment (M2). */
    public static final String PUPIL_OF_10 = "sj-1002";
    /** 13 years old today, with no address registered for the parents nor the pupil: no family message reaches them (X). */
    public static final String PUPIL_WITHOUT_CONTACT = "sj-1003";

    /** The parties a family message is addressed to (referral-service's TransferNotice.Party). */
    public static final String PARENTS = "PARENTS";
    public static final String PUPIL = "PUPIL";

    /** The text of every note the stand-in hands over. */
    public static final String NOTE_TEXT = "Weekly talks agreed with the pupil since October.";
    /** The test profile's key of the referral grants (referral-service's application.properties, %test). */
    static final String REFERRAL_GRANT_KEY = "test-only-referral-grant-key";

    private static final Pattern NOTE = Pattern.compile("/case-files/([^/]+)/notes/([^/]+)/for-referral");
    private static final Pattern GRANT = Pattern.compile("\\{\\s*\"referralId\"\\s*:\\s*\"([^\"]+)\"\\s*,\\s*\"grant\"\\s*:\\s*\"([^\"]+)\"\\s*}");
    private static final Pattern DISCERNMENT = Pattern.compile("/pupils/([^/]+)/discernment");
    private static final Pattern CONTROL = Pattern.compile("/_stand-in/pupils/([^/]+)");
    private static final Pattern FAMILY_MESSAGES = Pattern.compile("/pupils/([^/]+)/family-messages");
    private static final Pattern CONTACTS = Pattern.compile("/_stand-in/contacts/([^/]+)");
    private static final Pattern DELIVERED = Pattern.compile("/_stand-in/family-messages/([^/]+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, LocalDate> register = new ConcurrentHashMap<>();
    /** The addressees with an address registered, by pupil; a pupil not listed has both. */
    private final Map<String, Set<String>> contacts = new ConcurrentHashMap<>();
    /** Every link delivered, in order: what the family's mailboxes would hold. */
    private final List<Delivered> deliveries = new CopyOnWriteArrayList<>();

    private record Delivered(String referralId, String addressee, String path) {
    }
    private volatile boolean down;
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        register.put(PUPIL_OF_13, LocalDate.now().minusYears(13));
        register.put(PUPIL_OF_10, LocalDate.now().minusYears(10));
        register.put(PUPIL_WITHOUT_CONTACT, LocalDate.now().minusYears(13));
        contacts.put(PUPIL_WITHOUT_CONTACT, Set.of());
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("The case-service stand-in did not start", e);
        }
        server.createContext("/", this::handle);
        server.start();
        return Map.of("quarkus.rest-client.case-service.url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (InputStream body = exchange.getRequestBody()) {
            String path = exchange.getRequestURI().getPath();
            String payload = new String(body.readAllBytes(), StandardCharsets.UTF_8).trim();
            if (path.startsWith("/_stand-in/")) {
                control(exchange, path, payload);
                return;
            }
            Matcher note = NOTE.matcher(path);
            if (!down && note.matches() && "POST".equals(exchange.getRequestMethod())) {
                note(exchange, note.group(2), payload);
                return;
            }
            Matcher family = FAMILY_MESSAGES.matcher(path);
            if (!down && family.matches() && "POST".equals(exchange.getRequestMethod())) {
                familyMessage(exchange, family.group(1), payload);
                return;
            }
            Matcher pupil = DISCERNMENT.matcher(path);
            if (down || !pupil.matches() || !"GET".equals(exchange.getRequestMethod())) {
                return; // closed without an answer: unreachable
            }
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization == null || !authorization.startsWith("Bearer ")) {
                respond(exchange, 401, "application/problem+json", problem(401, "unauthenticated"));
                return;
            }
            LocalDate birthDate = register.get(pupil.group(1));
            if (birthDate == null) {
                respond(exchange, 404, "application/problem+json", problem(404, "not-found"));
                return;
            }
            respond(exchange, 200, "application/json",
                    "{\"pupilId\": \"%s\", \"birthDate\": \"%s\"}".formatted(pupil.group(1), birthDate));
        } finally {
            exchange.close();
        }
    }

    /** A note for a referral's draft: only with a grant of referral-service's for the referral the body names. */
    private static void note(HttpExchange exchange, String noteId, String payload) throws IOException {
        Matcher body = GRANT.matcher(payload);
        var grant = body.matches() ? be.needtoknow.common.referral.ReferralGrant.verify(body.group(2), REFERRAL_GRANT_KEY,
                java.time.Instant.now()).filter(g -> g.referralId().toString().equals(body.group(1))) : java.util.Optional.<be.needtoknow.common.referral.ReferralGrant>empty();
        if (grant.isEmpty()) {
            respond(exchange, 403, "application/problem+json", problem(403, "referral-not-verified"));
            return;
        }
        respond(exchange, 200, "application/json", """
                {"noteId": "%s", "pupilId": "%s", "kind": "MEETING", "writtenAt": "2026-10-01T09:00:00Z", "text": "%s"}"""
                .formatted(noteId, grant.get().pupilId(), NOTE_TEXT));
    }

    /**
     * X: a link for the family, delivered only with referral-service's grant for this referral, of
     * this pupil and this caller (as case-service checks it), to the addressee's registered contacts.
     */
    private void familyMessage(HttpExchange exchange, String pupilId, String payload) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            respond(exchange, 401, "application/problem+json", problem(401, "unauthenticated"));
            return;
        }
        JsonNode body;
        JsonNode claims;
        try {
            body = JSON.readTree(payload);
            String[] token = authorization.substring("Bearer ".length()).split("\\.");
            claims = JSON.readTree(Base64.getUrlDecoder().decode(token[1]));
        } catch (IOException | RuntimeException e) {
            respond(exchange, 400, "application/problem+json", problem(400, "unreadable"));
            return;
        }
        String referralId = body.path("referralId").asText();
        String addressee = body.path("addressee").asText();
        String link = body.path("path").asText();
        Optional<ReferralGrant> grant = ReferralGrant.verify(body.path("grant").asText(null), REFERRAL_GRANT_KEY,
                Instant.now())
                .filter(g -> g.referralId().toString().equals(referralId) && g.pupilId().equals(pupilId)
                        && g.subject().equals(claims.path("sub").asText())
                        && g.schoolId().equals(claims.path("organisation").path("id").asText()));
        if (grant.isEmpty()) {
            respond(exchange, 403, "application/problem+json", problem(403, "referral-not-verified"));
            return;
        }
        // X, T3: a transfer's notice or a referral's, each on its own path, as case-service checks it.
        String kind = body.path("kind").asText();
        boolean known = "TRANSFER_NOTICE".equals(kind) && link.startsWith("/transfer-notices/")
                || "REFERRAL_NOTICE".equals(kind) && link.matches("/referral-notices/[0-9a-f-]{36}\\.[A-Za-z0-9_-]{43}");
        if (!known || !Set.of(PARENTS, PUPIL).contains(addressee)) {
            respond(exchange, 400, "application/problem+json", problem(400, "validation"));
            return;
        }
        if (!register.containsKey(pupilId)) {
            respond(exchange, 404, "application/problem+json", problem(404, "not-found"));
            return;
        }
        if (!contacts.getOrDefault(pupilId, Set.of(PARENTS, PUPIL)).contains(addressee)) {
            respond(exchange, 409, "application/problem+json", problem(409, "no-family-contact"));
            return;
        }
        deliveries.add(new Delivered(referralId, addressee, link));
        int addresses = addressee.equals(PARENTS) ? 2 : 1;
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String to = addressee.equals(PARENTS) ? "the parents" : "the pupil";
        respond(exchange, 201, "application/json", """
                {"id": "%s", "kind": "%s", "addressee": "%s", "channel": "MAIL", "addresses": %d,
                 "sentAt": "%s", "summary": "sent to %s (%d address%s) by e-mail on %s"}"""
                .formatted(UUID.randomUUID(), kind, addressee, addresses, now, to, addresses, addresses == 1 ? "" : "es",
                        now.toLocalDate()));
    }

    private void control(HttpExchange exchange, String path, String payload) throws IOException {
        Matcher pupil = CONTROL.matcher(path);
        Matcher contactsOf = CONTACTS.matcher(path);
        Matcher delivered = DELIVERED.matcher(path);
        if (delivered.matches() && "GET".equals(exchange.getRequestMethod())) {
            StringBuilder lines = new StringBuilder();
            for (Delivered d : deliveries) {
                if (d.referralId().equals(delivered.group(1))) {
                    lines.append(d.addressee()).append(' ').append(d.path()).append('\n');
                }
            }
            respond(exchange, 200, "text/plain", lines.toString());
            return;
        }
        if (contactsOf.matches() && "PUT".equals(exchange.getRequestMethod())) {
            contacts.put(contactsOf.group(1), payload.isBlank() ? Set.of() : Set.of(payload.split(",")));
        } else if (path.equals("/_stand-in/down")) {
            down = true;
        } else if (path.equals("/_stand-in/up")) {
            down = false;
        } else if (pupil.matches() && "PUT".equals(exchange.getRequestMethod())) {
            register.put(pupil.group(1), LocalDate.parse(payload));
        } else {
            respond(exchange, 404, "text/plain", "unknown control");
            return;
        }
        respond(exchange, 204, null, null);
    }

    private static String problem(int status, String type) {
        return "{\"type\": \"urn:need-to-know:problem:%s\", \"title\": \"%s\", \"status\": %d, \"detail\": \"case-service stand-in\"}"
                .formatted(type, type, status);
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    // --- For the tests ------------------------------------------------------------------------------

    /** Puts a pupil in the stand-in's register with this birth date (a new pupil, or a correction). */
    public static void register(String pupilId, LocalDate birthDate) {
        send("PUT", "/_stand-in/pupils/" + pupilId, birthDate.toString());
    }

    /**
     * The addressees ({@link #PARENTS}, {@link #PUPIL}) that have an address registered for this pupil;
     * none given: neither. A pupil never set has both.
     */
    public static void familyContacts(String pupilId, String... addressees) {
        send("PUT", "/_stand-in/contacts/" + pupilId, String.join(",", addressees));
    }

    /** Every link delivered for this referral, in the order sent: {@code {addressee, path}} each. */
    public static List<String[]> deliveries(String referralId) {
        List<String[]> all = new ArrayList<>();
        for (String line : get("/_stand-in/family-messages/" + referralId).split("\n")) {
            if (!line.isBlank()) {
                all.add(line.split(" ", 2));
            }
        }
        return all;
    }

    /** The latest link delivered for this referral to this addressee ({@link #PARENTS}, {@link #PUPIL}), or null. */
    public static String delivered(String referralId, String addressee) {
        String latest = null;
        for (String[] d : deliveries(referralId)) {
            if (d[0].equals(addressee)) {
                latest = d[1];
            }
        }
        return latest;
    }

    /** The latest links delivered for this referral: the parents' first, then the pupil's if one was sent. */
    public static List<String> links(String referralId) {
        List<String> links = new ArrayList<>();
        for (String addressee : Arrays.asList(PARENTS, PUPIL)) {
            String link = delivered(referralId, addressee);
            if (link != null) {
                links.add(link);
            }
        }
        return links;
    }

    /** case-service cannot be reached until {@link #up()}. */
    public static void down() {
        send("POST", "/_stand-in/down", "");
    }

    public static void up() {
        send("POST", "/_stand-in/up", "");
    }

    private static void send(String method, String path, String body) {
        call(method, path, body, 204);
    }

    private static String get(String path) {
        return call("GET", path, "", 200);
    }

    private static String call(String method, String path, String body, int expected) {
        String base = ConfigProvider.getConfig().getValue("quarkus.rest-client.case-service.url", String.class);
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path))
                    .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException("The stand-in answered " + response.statusCode() + " to " + path);
            }
            return response.body();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
