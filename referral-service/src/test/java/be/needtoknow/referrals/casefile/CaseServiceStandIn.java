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
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.ConfigProvider;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

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
 * case-service's to decide, proved there (NoteTest). Any other path gets the connection closed: for
 * those calls case-service cannot be reached.
 * <p>
 * The tests change its register and take it down through {@code /_stand-in/…} (see the static
 * helpers), over HTTP, since this resource and the tests live in different class loaders.
 */
public class CaseServiceStandIn implements QuarkusTestResourceLifecycleManager {

    /** 13 years old today: capable of discernment by the age-12 presumption (M1). */
    public static final String PUPIL_OF_13 = "sj-1001";
    /** 10 years old today: below the age of discernment (M2). */
    public static final String PUPIL_OF_10 = "sj-1002";

    /** The text of every note the stand-in hands over. */
    public static final String NOTE_TEXT = "Weekly talks agreed with the pupil since October.";
    /** The test profile's key of the referral grants (referral-service's application.properties, %test). */
    static final String REFERRAL_GRANT_KEY = "test-only-referral-grant-key";

    private static final Pattern NOTE = Pattern.compile("/case-files/([^/]+)/notes/([^/]+)/for-referral");
    private static final Pattern GRANT = Pattern.compile("\\{\\s*\"referralId\"\\s*:\\s*\"([^\"]+)\"\\s*,\\s*\"grant\"\\s*:\\s*\"([^\"]+)\"\\s*}");
    private static final Pattern DISCERNMENT = Pattern.compile("/pupils/([^/]+)/discernment");
    private static final Pattern CONTROL = Pattern.compile("/_stand-in/pupils/([^/]+)");

    private final Map<String, LocalDate> register = new ConcurrentHashMap<>();
    private volatile boolean down;
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        register.put(PUPIL_OF_13, LocalDate.now().minusYears(13));
        register.put(PUPIL_OF_10, LocalDate.now().minusYears(10));
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

    private void control(HttpExchange exchange, String path, String payload) throws IOException {
        Matcher pupil = CONTROL.matcher(path);
        if (path.equals("/_stand-in/down")) {
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

    /** case-service cannot be reached until {@link #up()}. */
    public static void down() {
        send("POST", "/_stand-in/down", "");
    }

    public static void up() {
        send("POST", "/_stand-in/up", "");
    }

    private static void send(String method, String path, String body) {
        String base = ConfigProvider.getConfig().getValue("quarkus.rest-client.case-service.url", String.class);
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path))
                    .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 204) {
                throw new IllegalStateException("The stand-in answered " + response.statusCode() + " to " + path);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
