package be.needtoknow.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** Which settings hold a development default (the prod refusal itself is tested end to end, in deploy/e2e). */
class DevelopmentDefaultsTest {

    static SmallRyeConfig config(Map<String, String> values) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(values, "test", 100)).build();
    }

    @Test
    void eachMarkedSettingIsNamedOnceByItsPropertyAndEnvironmentName() {
        List<String> found = DevelopmentDefaults.marked(config(Map.of(
                "quarkus.datasource.password", "dev-only-ntk-case-app-db",
                "NTK_PSEUDONYM_KEY", "dev-only-pseudonym-key-not-for-production",
                "ntk.audit.checkpoint.signing-key", "PRIVATE+KEY+dev-only.audit.need-to-know.local+9f356c11+AVeK",
                "QUARKUS_FLYWAY_PASSWORD", "test-only-password",
                "%local.quarkus.flyway.password", "dev-only-ntk-case-db",
                "quarkus.oidc.auth-server-url", "https://login.school.example/realms/need-to-know")));
        // In the order of their environment names; the local profile's own entry is not in force in prod.
        assertEquals(List.of("ntk.audit.checkpoint.signing-key (NTK_AUDIT_CHECKPOINT_SIGNING_KEY)", "NTK_PSEUDONYM_KEY",
                "quarkus.datasource.password (QUARKUS_DATASOURCE_PASSWORD)", "QUARKUS_FLYWAY_PASSWORD"), found);
    }

    @Test
    void realSecretsPass() {
        assertEquals(List.of(), DevelopmentDefaults.marked(config(Map.of(
                "quarkus.datasource.password", "k8s-secret-9f3a1c",
                "ntk.pseudonym.key", "a long random key from the vault"))));
    }
}
