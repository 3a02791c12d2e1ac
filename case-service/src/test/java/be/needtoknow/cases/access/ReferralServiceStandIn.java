package be.needtoknow.cases.access;

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
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.ConfigProvider;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import be.needtoknow.common.referral.AccessGrant;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * T4: a narrow stand-in for referral-service's {@code POST /pupil-records}, for case-service's tests
 * (the test stack has no referral-service). It verifies the access grant as referral-service does
 * (403 otherwise), answers a canned referral to CLB Gent, and says that a referral was kept from
 * the parents when the grant says they may not see it (M1). It keeps the last grant it received,
 * which the tests read through {@code GET /_stand-in/last-grant} (over HTTP: this resource and the
 * tests live in different class loaders) and verify themselves.
 */
public class ReferralServiceStandIn implements QuarkusTestResourceLifecycleManager {

    static final String KEY = "test-only-referral-grant-key"; // %test.ntk.referral-grant.key
    static final String QUESTION = "Can you help Lotte with school refusal?";
    static final String FEEDBACK = "Lotte comes to the CLB weekly.";
    private static final Pattern GRANT = Pattern.compile("\"grant\"\\s*:\\s*\"([^\"]*)\"");

    static final String ANSWER = """
            {"referrals": [{"kind": "REFERRAL", "recipient": "CLB Gent", "recipientType": "CLB", "status": "RECEIVED",
              "sentAt": "2026-11-22T09:00:00Z", "legalBasis": "consent",
              "items": [{"type": "QUESTION", "purpose": "what we ask the CLB", "text": "%s"},
                        {"type": "CONTACT", "purpose": "to reach the referring counsellor", "name": "Bart Claes",
                         "email": "bart.counsellor@school-sint-jan.example"}],
              "consent": {"consulted": [{"party": "PUPIL", "when": "2026-11-20T10:00:00Z", "how": "conversation at school",
                                         "answer": "AGREED"},
                                        {"party": "PARENTS", "when": "2026-11-21T18:00:00Z", "how": "phone call",
                                         "answer": "AGREED"}],
                          "parentsNotInformed": false},
              "feedback": [{"text": "%s", "releasedBy": "mia.clb", "releasedAt": "2026-11-30T12:00:00Z"}]}],
             "leftOut": [%s]}""";

    private HttpServer server;
    private volatile String lastGrant = "";

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/pupil-records", this::pupilRecords);
        server.createContext("/_stand-in/last-grant", exchange -> answer(exchange, 200, "text/plain", lastGrant));
        server.start();
        return Map.of("quarkus.rest-client.referral-service.url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void pupilRecords(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher m = GRANT.matcher(body);
        String grant = m.find() ? m.group(1) : "";
        lastGrant = grant;
        Optional<AccessGrant> verified = AccessGrant.verify(grant, KEY, Instant.now());
        if (!"POST".equals(exchange.getRequestMethod()) || verified.isEmpty()) {
            answer(exchange, 403, "application/problem+json", "{\"status\": 403, \"type\": "
                    + "\"urn:need-to-know:problem:invalid-access-grant\"}");
            return;
        }
        String leftOut = verified.get().parentsMayNotSee() ? "\"referrals-kept-from-parents\"" : "";
        answer(exchange, 200, "application/json", ANSWER.formatted(QUESTION, FEEDBACK, leftOut));
    }

    private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** The last grant case-service sent, from the tests' side. */
    static String lastGrant() {
        String url = ConfigProvider.getConfig().getValue("quarkus.rest-client.referral-service.url", String.class);
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/_stand-in/last-grant")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
