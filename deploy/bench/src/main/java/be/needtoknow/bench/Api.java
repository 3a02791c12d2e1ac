package be.needtoknow.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import be.needtoknow.stack.Tokens;

/**
 * The services' REST APIs as a client sees them: JSON over HTTP/1.1 with a bearer token. One
 * shared client; it opens a connection per concurrent request (HTTP/1.1 has no multiplexing), so
 * it never limits the number of clients. Neither tokens nor bodies are ever printed.
 */
final class Api {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern EXP = Pattern.compile("\"exp\"\\s*:\\s*(\\d+)");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    record Response(int status, String body) {

        /** The "id" of a created resource; fails with the status (never the body) when it is not the one expected. */
        String id(int expected, String what) {
            expect(expected, what);
            Matcher m = ID.matcher(body);
            if (!m.find()) {
                throw new IllegalStateException(what + ": no id in the answer");
            }
            return m.group(1);
        }

        /** The body, when the status is the one expected. */
        String expectBody(int expected, String what) {
            expect(expected, what);
            return body;
        }

        void expect(int expected, String what) {
            if (status != expected) {
                throw new IllegalStateException(what + ": HTTP " + status + " (expected " + expected + ")");
            }
        }
    }

    Response send(String method, String url, String token, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token);
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body());
    }

    /** A GET asking for JSON (a resource that also has an HTML page answers JSON). */
    Response getJson(String url, String token) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json").GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body());
    }

    Response post(String url, String token, String json) throws IOException, InterruptedException {
        return send("POST", url, token, json);
    }

    Response put(String url, String token, String json) throws IOException, InterruptedException {
        return send("PUT", url, token, json);
    }

    /**
     * One client's access token, fetched again (outside any timed request) when less than a minute
     * of its life is left: the realm's tokens live five minutes.
     */
    static final class Token {

        private final java.util.function.Supplier<String> fetch;
        private String value;
        private Instant expires = Instant.EPOCH;

        Token(java.util.function.Supplier<String> fetch) {
            this.fetch = fetch;
        }

        static Token ofUser(String tokenEndpoint, String username) {
            return new Token(() -> Tokens.password(tokenEndpoint, username, Tokens.DEMO_PASSWORD));
        }

        static Token ofClient(String tokenEndpoint, String clientId) {
            return new Token(() -> Tokens.clientCredentials(tokenEndpoint, clientId, Tokens.devSecret(clientId)));
        }

        synchronized String get() {
            if (Instant.now().isAfter(expires.minusSeconds(60))) {
                value = fetch.get();
                expires = expiry(value);
            }
            return value;
        }

        /** The token's own "exp" (a JWT's payload is base64url JSON); without one, fetched again after a minute. */
        private static Instant expiry(String jwt) {
            String[] parts = jwt.split("\\.");
            if (parts.length == 3) {
                String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
                Matcher m = EXP.matcher(payload);
                if (m.find()) {
                    return Instant.ofEpochSecond(Long.parseLong(m.group(1)));
                }
            }
            return Instant.now().plusSeconds(120);
        }
    }
}
