package be.needtoknow.e2e;

import be.needtoknow.stack.DemoData;
import be.needtoknow.stack.Suite;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One running suite (PostgreSQL, Kafka, Keycloak and the three packaged services, with the demo
 * data loaded) for the end-to-end classes that only use it as any client would: the walkthrough,
 * the exposure test, the browser test, the school platform's generated client. Starting a suite
 * takes half a minute on two cores; starting it once keeps the test command short (issue 16).
 * The classes that stop, kill or reconfigure a part of the stack (FaultTest,
 * IdentityProviderTest) start their own.
 *
 * <p>A class on the shared suite must not assume an empty world: the others may have run
 * before it. It creates what it needs with ids of its own, or reads the demo data.
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
            Suite started = Suite.start(Suite.Settings.freePorts(repository, home), keycloakHome);
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "shared-suite-stop"));
            DemoData.load(started); // client credentials of the school platforms, through the pupil import
            suite = started;
        }
        return suite;
    }
}
