package be.needtoknow.testing;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/**
 * A service's own configuration as the deployment checks read it (docker-compose.yml in deploy/e2e,
 * the Kubernetes manifests in deploy/k8s): its application.properties, the names of its properties,
 * and the environment variables that set them. One reading, so that both deployments are held to
 * the same rule: every variable they set names a real property of the service.
 */
public final class ServiceConfiguration {

    /** Quarkus properties a deployment may set that a service's file does not name. */
    public static final Set<String> QUARKUS_RUNTIME = Set.of("quarkus.oidc.token.issuer", "quarkus.datasource.password",
            "quarkus.profile");

    private final Properties properties = new Properties();

    private ServiceConfiguration(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code <service>/src/main/resources/application.properties} of the repository. */
    public static ServiceConfiguration of(Path repository, String service) {
        return new ServiceConfiguration(repository.resolve(service + "/src/main/resources/application.properties"));
    }

    public Properties properties() {
        return properties;
    }

    /** Property names without their profile (%local.x becomes x). */
    public Set<String> propertyNames() {
        Set<String> names = new HashSet<>();
        for (String name : properties.stringPropertyNames()) {
            names.add(name.startsWith("%") ? name.substring(name.indexOf('.') + 1) : name);
        }
        return names;
    }

    /** The environment variables that set a property of this service, or one of {@link #QUARKUS_RUNTIME}. */
    public Set<String> environmentVariables() {
        Set<String> variables = new HashSet<>();
        propertyNames().forEach(p -> variables.add(environmentName(p)));
        QUARKUS_RUNTIME.forEach(p -> variables.add(environmentName(p)));
        return variables;
    }

    /** The MicroProfile Config environment name of a property: upper case, other characters '_'. */
    public static String environmentName(String property) {
        return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
