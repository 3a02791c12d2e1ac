package be.needtoknow.audit.query;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A narrow stand-in for the two directories in audit-service's own tests, which run without the
 * other services: case-service's {@code GET /staff} (the staff of school-sint-jan, as the demo
 * import has them) and referral-service's {@code GET /recipients} (the demo directory). Both
 * answer only the DPO frank.dpo's own bearer token (the token the report must propagate), and 401
 * otherwise. Who may read the staff directory is case-service's to decide, proved there
 * (StaffDirectoryTest); the names on the real services are proved end to end (deploy/e2e).
 */
public class DirectoryStandIn implements QuarkusTestResourceLifecycleManager {

    static final String STAFF = """
            [{"username": "an.teacher", "name": "An Peeters", "functions": ["teacher"]},
             {"username": "bart.counsellor", "name": "Bart Claes", "functions": ["pupil-counsellor"]},
             {"username": "carla.coordinator", "name": "Carla Janssens", "functions": ["care-coordinator"]}]""";

    static final String RECIPIENTS = """
            [{"id": "clb-gent", "name": "CLB Gent", "type": "CLB", "directlyAccessible": false},
             {"id": "care-jongerenhulp", "name": "Jongerenhulp Oost-Vlaanderen", "type": "CARE", "directlyAccessible": true},
             {"id": "school-sint-jan", "name": "Sint-Jansschool", "type": "SCHOOL", "directlyAccessible": false},
             {"id": "school-de-linde", "name": "Basisschool De Linde", "type": "SCHOOL", "directlyAccessible": false}]""";

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("The directory stand-in did not start", e);
        }
        server.createContext("/", DirectoryStandIn::handle);
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.of("quarkus.rest-client.case-service.url", url, "quarkus.rest-client.referral-service.url", url);
    }

    private static void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            if (!"GET".equals(exchange.getRequestMethod()) || !(path.equals("/staff") || path.equals("/recipients"))) {
                respond(exchange, 404, "{\"status\": 404}");
                return;
            }
            if (!fromTheDpo(exchange.getRequestHeaders().getFirst("Authorization"))) {
                respond(exchange, 401, "{\"status\": 401}");
                return;
            }
            respond(exchange, 200, path.equals("/staff") ? STAFF : RECIPIENTS);
        }
    }

    /** The DPO's own token: a bearer JWT whose claims name frank.dpo (the stand-in does not verify it). */
    private static boolean fromTheDpo(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        String[] parts = authorization.substring("Bearer ".length()).split("\\.");
        if (parts.length != 3) {
            return false;
        }
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        return claims.contains("\"preferred_username\":\"frank.dpo\"");
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", status == 200 ? "application/json" : "application/problem+json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
