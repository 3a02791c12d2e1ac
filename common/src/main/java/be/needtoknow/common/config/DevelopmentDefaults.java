package be.needtoknow.common.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;

/**
 * The prod profile refuses to start with a development default. Every secret in the repository is
 * marked as one ("dev-only-…", or "test-only-…" in the tests): database passwords, the pseudonym
 * key, the checkpoint signing key, client secrets. In prod, any setting whose value carries such a
 * marker stops the service, naming each setting (never its value). Runs first among the startup
 * observers, so the service neither serves nor consumes anything with them.
 */
@ApplicationScoped
public class DevelopmentDefaults {

    private static final List<String> MARKERS = List.of("dev-only", "test-only");

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        if (!ConfigUtils.isProfileActive("prod")) {
            return;
        }
        List<String> found = marked(ConfigProvider.getConfig());
        if (!found.isEmpty()) {
            throw new IllegalStateException("Refusing to start in the prod profile with development defaults. Give each "
                    + "of these settings its own value: " + String.join(", ", found) + ".");
        }
    }

    /**
     * The settings whose value is marked as a development default, sorted, each once: as
     * "name (ENVIRONMENT_NAME)" when known by its property name, else by its environment name.
     */
    static List<String> marked(Config config) {
        Map<String, String> found = new TreeMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith("%")) {
                continue; // a profile's own entry (%local.…), not in force in prod
            }
            String value = config.getConfigValue(name).getValue();
            if (value == null || MARKERS.stream().noneMatch(value::contains)) {
                continue;
            }
            String environment = name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
            if (!name.equals(environment)) {
                found.put(environment, name + " (" + environment + ")");
            } else {
                found.putIfAbsent(environment, environment);
            }
        }
        return new ArrayList<>(found.values());
    }
}
