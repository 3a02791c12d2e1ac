package be.needtoknow.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads the demo staff and pupils of deploy/demo into case-service the way a school platform
 * would: with the school's own service account, through the idempotent imports. Loading twice
 * changes nothing.
 */
public final class DemoData {

    public static final List<String> SCHOOLS = List.of("school-sint-jan", "school-de-linde");

    private DemoData() {
    }

    public static void load(Suite suite) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        for (String school : SCHOOLS) {
            String client = school + "-system";
            String token = Tokens.clientCredentials(suite.keycloak().tokenEndpoint(), client, Tokens.devSecret(client));
            for (String kind : List.of("staff", "pupils")) {
                Path file = suite.settings().repository().resolve("deploy/demo/" + kind + "-" + school + ".json");
                HttpRequest request = HttpRequest.newBuilder(URI.create(suite.serviceUrl("case-service") + "/" + kind))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofFile(file)).build();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 != 2) {
                    throw new IllegalStateException("Demo " + kind + " of " + school + " were refused (HTTP "
                            + response.statusCode() + "): " + response.body());
                }
            }
        }
    }

}
