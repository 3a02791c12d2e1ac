package be.needtoknow.audit.query;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import be.needtoknow.common.audit.PupilPseudonyms;
import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.TestTokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;

/**
 * T4: with the directories answering (a narrow stand-in, DirectoryStandIn), the access report names
 * people by name, function and school, systems by their organisation's name, and the DPO who made
 * it by name; looked up with the DPO's own token.
 */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = DirectoryStandIn.class, scope = TestResourceScope.MATCHING_RESOURCES)
class AccessReportNamesTest {

    @Inject
    PupilPseudonyms pseudonyms;

    /** frank.dpo's token as the realm issues it, with the "name" claim of the profile scope. */
    String dpo() {
        try {
            byte[] key = Base64.getDecoder().decode(System.getProperty("ntk.test.private-key"));
            PrivateKey privateKey = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(key));
            return Jwt.issuer(TestStack.ISSUER).audience(TestTokens.AUDIENCE)
                    .subject(UUID.nameUUIDFromBytes("frank.dpo".getBytes()).toString())
                    .claim("preferred_username", "frank.dpo").claim("name", "Frank Mertens")
                    .claim("realm_access", Map.of("roles", List.of("dpo")))
                    .claim("organisation", Map.of("id", PlantedAccesses.SCHOOL, "type", "school"))
                    .expiresIn(300).sign(privateKey);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void t4_thePageNamesPeopleByNameFunctionAndSchoolAndSystemsByTheirOrganisation() {
        String dpo = dpo();
        String pupil = PlantedAccesses.plant(pseudonyms, dpo);
        String page = given().auth().oauth2(dpo).accept("text/html").when().get("/audit-records/pupils/" + pupil + "/report")
                .then().statusCode(200)
                .body(containsString("<html lang=\"nl\">"))
                .body(containsString("Bart Claes, leerlingbegeleider, Sint-Jansschool"))
                .body(containsString("het schoolplatform van Sint-Jansschool"))
                .body(containsString("het systeem van CLB Gent"))
                .body(containsString("een doorverwijzing naar CLB Gent"))
                .body(containsString("een doorverwijzing naar het CLB"))
                .body(containsString("An Peeters, leerkracht, Sint-Jansschool"))
                .body(containsString("5 keer geweigerd"))
                .body(containsString("de ouders"))
                // Another school's staff are not in this school's directory: by function and school name.
                .body(containsString("een leerlingbegeleider van Basisschool De Linde"))
                .body(containsString("uit het logboek van Sint-Jansschool"))
                .body(containsString("door Frank Mertens, functionaris voor gegevensbescherming"))
                // The printed pages carry the school's name and the date (Chromium's page margin boxes).
                .body(containsString("@top-left { content: \"Sint-Jansschool\""))
                .body(containsString("@bottom-left { content: \"Inzageverslag, gemaakt op "))
                .body(not(containsString("id=\"names-note\"")))
                .extract().asString();
        PlantedAccesses.keep("access-report-names.html", page);
        for (String never : PlantedAccesses.NEVER_ON_THE_DUTCH_PAGE) {
            assertFalse(page.contains(never), () -> "the Dutch page shows \"" + never + "\"");
        }
        given().auth().oauth2(dpo).accept("text/html").queryParam("lang", "en")
                .when().get("/audit-records/pupils/" + pupil + "/report")
                .then().statusCode(200)
                .body(containsString("Bart Claes, pupil counsellor, Sint-Jansschool"))
                .body(containsString("the school platform of Sint-Jansschool"))
                .body(containsString("refused 5 times"))
                .body(containsString("a referral to CLB Gent"));
        // The JSON keeps the codes beside the words.
        given().auth().oauth2(dpo).accept("application/json").when().get("/audit-records/pupils/" + pupil + "/report")
                .then().statusCode(200)
                .body("namesLookedUp", equalTo(true))
                .body("organisationName", equalTo("Sint-Jansschool"))
                .body("generatedByInWords", equalTo("Frank Mertens, functionaris voor gegevensbescherming"))
                .body("accesses[0].who", equalTo("bart.counsellor"))
                .body("accesses[0].whoInWords", equalTo("Bart Claes, leerlingbegeleider, Sint-Jansschool"))
                .body("accesses[2].count", equalTo(5))
                .body("accesses[2].outcome", equalTo("REFUSED"));
        // The DPO's own reports are in the trail too, under their name (from their token).
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> given().auth().oauth2(dpo)
                .accept("application/json").when().get("/audit-records/pupils/" + pupil + "/report").then().extract()
                .<List<String>>path("accesses.findAll { it.action == 'audit.report' }.whoInWords")
                .contains("Frank Mertens, functionaris voor gegevensbescherming, Sint-Jansschool"));
    }
}
