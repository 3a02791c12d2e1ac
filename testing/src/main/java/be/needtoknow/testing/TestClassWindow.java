package be.needtoknow.testing;

import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * When the test classes running now began, so that {@link TestTopics#readUntil} reads a topic from
 * there instead of from its beginning: by the end of a module's tests the audit topic holds every
 * record of every class before, and reading it all again for each record looked for cost the
 * services' tests about half a minute each. A class looks only for records of its own, written
 * after it began.
 *
 * <p>Registered for every test class by JUnit's extension auto-detection (META-INF/services; the
 * parent POM turns it on). Kept in system properties, not a static field: a Quarkus test reads
 * topics from its own class loader, where this class is loaded a second time.
 */
public final class TestClassWindow implements BeforeAllCallback, AfterAllCallback {

    private static final String PREFIX = "ntk.test.class-began.";

    @Override
    public void beforeAll(ExtensionContext context) {
        System.setProperty(PREFIX + context.getUniqueId(), Long.toString(System.currentTimeMillis()));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        System.clearProperty(PREFIX + context.getUniqueId());
    }

    /** When the earliest of the test classes running now began; empty outside a test run. */
    static Optional<Instant> earliestRunningClassBegan() {
        return System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith(PREFIX))
                .map(name -> System.getProperty(name)).filter(value -> value != null)
                .map(Long::parseLong).min(Long::compare).map(Instant::ofEpochMilli);
    }
}
