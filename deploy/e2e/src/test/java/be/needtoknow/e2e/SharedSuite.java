package be.needtoknow.e2e;

import be.needtoknow.stack.DemoData;
import be.needtoknow.stack.Suite;
import be.needtoknow.stack.Tokens;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;

import static io.restassured.RestAssured.given;

/**
 * One running suite (PostgreSQL, Kafka, Keycloak and the three packaged services, with the demo
 * data loaded) for every end-to-end class: starting a suite takes most of a minute on two cores,
 * so starting it once keeps the test command short.
 *
 * <p>The classes that use it as any client would run first; the two that stop, kill or rotate a
 * part of it run last, IdentityProviderTest then FaultTest (their {@code @Order}; the class order
 * is set in junit-platform.properties), and each of their scenarios leaves everything running and
 * ready again. A class must not assume an empty world: it reads the demo data, or creates what
 * it changes with ids of its own ({@link #newPupil}); a case file is open at most once per pupil,
 * so each class opens case files for pupils no other class uses.
 *
 * <p>The services read the realm's key set every 2 s instead of every minute
 * (NTK_SIGNING_KEYS_REFRESH_INTERVAL): IdentityProviderTest's bound for a removed key.
 * The suite is stopped when the test JVM ends.
 */
final class SharedSuite {

    private static Suite suite;

    private SharedSuite() {
    }

    static synchronized Suite get() throws Exception {
        if (suite == null) {
            Path repository = Path.of(System.getProperty("ntk.repository", "../..")).toAbsolutePath().normalize();
            Path home = Files.createTempDirectory("ntk-e2e-shared");
            // The unpacked Keycloak is kept between runs (its first start builds it); its realm is reset at each start.
            Path keycloakHome = Path.of(System.getProperty("user.home"), ".cache", "need-to-know", "keycloak-e2e");
            Suite started = Suite.start(Suite.Settings.freePorts(repository, home), keycloakHome,
                    Map.of("NTK_SIGNING_KEYS_REFRESH_INTERVAL", "PT2S"));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(started), "shared-suite-stop"));
            DemoData.load(started); // client credentials of the school platforms, through the pupil import
            suite = started;
        }
        return suite;
    }

    /** Stops the suite and forgets its data (FaultTest leaves 20,000 records and more); its logs stay. */
    private static void stop(Suite suite) {
        suite.close();
        for (String data : List.of("kafka", "postgres")) {
            Path directory = suite.settings().home().resolve(data);
            if (Files.exists(directory)) {
                try (var paths = Files.walk(directory)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException e) {
                    System.err.println("Could not remove " + directory + ": " + e);
                }
            }
        }
    }

    /**
     * A pupil of Sint-Jan of the caller's own, imported by the school platform (a partial import),
     * with the family's contacts the platform registers: a parent ({@link FamilyMail#parentOf}) and,
     * the pupil being 15, the pupil's own address ({@link FamilyMail#pupilAddressOf}). The family's
     * links go to these addresses only (X, T4); each pupil's are unique, so its mailboxes hold its
     * own mail.
     */
    static String newPupil(Suite suite, String prefix) {
        String pupil = pupilId(prefix);
        importPupil(suite, """
                {"pupilId": "%1$s", "givenName": "Test", "familyName": "Pupil %2$s",
                 "birthDate": "2011-05-01", "classGroup": "2A",
                 "parents": [{"name": "Parent of %1$s", "email": "%3$s"}], "pupilEmail": "%4$s"}"""
                .formatted(pupil, prefix, FamilyMail.parentOf(pupil), FamilyMail.pupilAddressOf(pupil)));
        return pupil;
    }

    /** As {@link #newPupil}, without any contact of the family: no family link can reach them. */
    static String newPupilWithoutContacts(Suite suite, String prefix) {
        String pupil = pupilId(prefix);
        importPupil(suite, """
                {"pupilId": "%s", "givenName": "Test", "familyName": "Pupil %s",
                 "birthDate": "2011-05-01", "classGroup": "2A"}""".formatted(pupil, prefix));
        return pupil;
    }

    private static String pupilId(String prefix) {
        return "sj-" + prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void importPupil(Suite suite, String row) {
        String platform = Tokens.clientCredentials(suite.keycloak().tokenEndpoint(), "school-sint-jan-system",
                Tokens.devSecret("school-sint-jan-system"));
        given().baseUri(suite.serviceUrl("case-service")).auth().oauth2(platform).contentType(ContentType.JSON)
                .body("{\"pupils\": [" + row + "]}")
                .when().put("/pupils").then().statusCode(200);
    }
}
