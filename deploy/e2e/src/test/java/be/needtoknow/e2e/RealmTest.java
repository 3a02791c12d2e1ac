package be.needtoknow.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The development realm of deploy/keycloak/realm.json, as docs/rules.md asks of it. */
class RealmTest {

    private static JsonNode realm() throws IOException {
        return new ObjectMapper().readTree(Path.of(System.getProperty("ntk.repository", "../.."))
                .resolve("deploy/keycloak/realm.json").toFile());
    }

    @Test
    void s3_noRoleOrLabelSuggestsAConfidentialityTheSchoolCannotGive() throws IOException {
        Set<String> roles = new TreeSet<>();
        realm().at("/roles/realm").forEach(r -> roles.add(r.get("name").asText()));
        assertEquals(Set.of("teacher", "pupil-counsellor", "care-coordinator", "principal", "discipline", "clb-worker",
                "youth-care-worker", "dpo", "school-system", "recipient-system", "operator"), roles);
        String text = realm().toString().toLowerCase(Locale.ROOT);
        for (String word : new String[] { "trust", "vertrouwens", "confidant" }) {
            assertFalse(text.contains(word), "the realm uses '" + word + "'");
        }
    }

    @Test
    void everyUserAndServiceAccountBelongsToAnOrganisationOfAKnownType() throws IOException {
        for (JsonNode user : realm().get("users")) {
            String type = user.at("/attributes/org_type/0").asText();
            assertTrue(Set.of("school", "clb", "care", "authority").contains(type), user.get("username") + ": " + type);
            assertFalse(user.at("/attributes/org_id/0").asText().isBlank(), user.get("username") + " has no organisation");
        }
    }

    @Test
    void n2_everyClientPutsTheSuitesAudienceInItsAccessTokens() throws IOException {
        // The services accept only tokens for the audience need-to-know (quarkus.oidc.token.audience):
        // a token the realm issued for another application is no key to pupil data.
        for (JsonNode client : realm().get("clients")) {
            boolean audience = false;
            for (JsonNode mapper : client.path("protocolMappers")) {
                if ("oidc-audience-mapper".equals(mapper.path("protocolMapper").asText())) {
                    assertEquals("need-to-know", mapper.at("/config/included.custom.audience").asText(),
                            client.get("clientId") + ": " + mapper);
                    assertEquals("true", mapper.at("/config/access.token.claim").asText(), client.get("clientId").asText());
                    audience = true;
                }
            }
            assertTrue(audience, client.get("clientId") + " has no audience mapper for need-to-know");
        }
    }

    @Test
    void n2_everyServiceRequiresTheSuitesAudience() throws IOException {
        Path repository = Path.of(System.getProperty("ntk.repository", "../.."));
        for (String service : new String[] { "case-service", "referral-service", "audit-service" }) {
            java.util.Properties properties = new java.util.Properties();
            try (var reader = java.nio.file.Files.newBufferedReader(
                    repository.resolve(service + "/src/main/resources/application.properties"))) {
                properties.load(reader);
            }
            assertEquals("need-to-know", properties.getProperty("quarkus.oidc.token.audience"), service);
        }
    }
}
