package be.needtoknow.stack;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Fetches access tokens from Keycloak's token endpoint: password grant and client credentials. */
public final class Tokens {

    /** The public client of the realm that the demo users log in with. */
    public static final String CLI_CLIENT = "ntk-cli";
    /** Every demo user's password in the development realm. */
    public static final String DEMO_PASSWORD = "demo";

    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Tokens() {
    }

    public static String password(String tokenEndpoint, String username, String password) {
        return fetch(tokenEndpoint, Map.of("grant_type", "password", "client_id", CLI_CLIENT, "username", username,
                "password", password));
    }

    public static String clientCredentials(String tokenEndpoint, String clientId, String secret) {
        return fetch(tokenEndpoint, Map.of("grant_type", "client_credentials", "client_id", clientId,
                "client_secret", secret));
    }

    /** The development secret of a service-account client of realm.json. */
    public static String devSecret(String clientId) {
        return "dev-only-" + clientId + "-secret";
    }

    /** Any token request (form parameters of RFC 6749) answered with an access token. */
    public static String fetch(String tokenEndpoint, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(tokenEndpoint))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            Matcher m = ACCESS_TOKEN.matcher(response.body());
            if (response.statusCode() != 200 || !m.find()) {
                throw new IllegalStateException("Keycloak refused the token request (HTTP " + response.statusCode() + ")");
            }
            return m.group(1);
        } catch (IOException e) {
            throw new IllegalStateException("Keycloak is not reachable at " + tokenEndpoint + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
