package be.needtoknow.audit.console;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.runtime.StartupEvent;

/**
 * The console's sign-in needs its secrets: the client secret of ntk-dpo-console and the secret that
 * encrypts the state cookie (PKCE). They have development defaults in the local profile only; with
 * the console tenant on and either missing, the service refuses to start, naming the settings.
 */
@ApplicationScoped
public class ConsoleConfigCheck {

    static final String ENABLED = "quarkus.oidc.console.tenant-enabled";
    static final List<String> SECRETS = List.of("quarkus.oidc.console.credentials.secret",
            "quarkus.oidc.console.authentication.state-secret");

    void onStart(@Observes StartupEvent event) {
        List<String> missing = missing(ConfigProvider.getConfig());
        if (!missing.isEmpty()) {
            throw new IllegalStateException("The DPO console (OIDC tenant console) needs these settings: "
                    + String.join(", ", missing) + ".");
        }
    }

    static List<String> missing(Config config) {
        List<String> missing = new ArrayList<>();
        if (!config.getOptionalValue(ENABLED, Boolean.class).orElse(true)) {
            return missing;
        }
        for (String name : SECRETS) {
            if (config.getOptionalValue(name, String.class).filter(v -> !v.isBlank()).isEmpty()) {
                missing.add(name + " (" + name.toUpperCase().replaceAll("[^A-Z0-9]", "_") + ")");
            }
        }
        return missing;
    }
}
