package be.needtoknow.audit.query;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import be.needtoknow.audit.AuditEvents;
import be.needtoknow.common.audit.PupilPseudonyms;
import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.TestTokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** T4, A3: the DPO's per-pupil access report, for a parent's or pupil's question, as JSON and as a printable page. */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
class AccessReportTest {

    static final String SCHOOL = "school-sint-jan";
    static final String DPO = TestTokens.of("frank.dpo", SCHOOL, "school", "dpo");

    @Inject
    PupilPseudonyms pseudonyms;

    String pupilWithTwoAccesses() {
        String pupil = "p-" + UUID.randomUUID();
        String pseudonym = pseudonyms.of(SCHOOL, pupil);
        AuditEvents.publish(UUID.randomUUID().toString(), "k", AuditEvents.record(SCHOOL, pseudonym, "bart.counsellor",
                "case-file.open"));
        AuditEvents.publish(UUID.randomUUID().toString(), "k", AuditEvents.record(SCHOOL, pseudonym, "an.teacher", "note.read")
                .replace("\"GRANTED\"", "\"REFUSED\"").replace("pupil guidance", "<script>alert(1)</script>"));
        await().atMost(Duration.ofSeconds(30)).until(() -> given().auth().oauth2(DPO).accept("application/json").when()
                .get("/audit-records/pupils/" + pupil + "/report").then().statusCode(200)
                .extract().<List<Object>>path("accesses.findAll { it.action != 'audit.report' }").size() == 2);
        return pupil;
    }

    @Test
    void t4_theReportSaysWhoAccessedThePupilsDataWhenWhyAndOnWhatBasisInPlainDutch() {
        String pupil = pupilWithTwoAccesses();
        given().auth().oauth2(DPO).when().get("/audit-records/pupils/" + pupil + "/report")
                .then().statusCode(200).contentType(containsString("application/json"))
                .body("pupilId", equalTo(pupil))
                // The two accesses, and the DPO's own reports (which are in the trail too).
                .body("accesses.findAll { it.action != 'audit.report' }", hasSize(2))
                .body("accesses[0].who", equalTo("bart.counsellor"))
                .body("accesses[0].what", equalTo("een dossier voor de leerling geopend"))
                .body("accesses[0].basis", equalTo("de wettelijke opdracht van de school"))
                .body("accesses[1].outcome", equalTo("REFUSED"));
        given().auth().oauth2(DPO).accept("text/html").when().get("/audit-records/pupils/" + pupil + "/report")
                .then().statusCode(200).contentType(org.hamcrest.Matchers.equalToIgnoringCase("text/html;charset=UTF-8"))
                .body(containsString("Wie heeft de gegevens van deze leerling ingekeken?"))
                .body(containsString("geweigerd"))
                .body(containsString("&lt;script&gt;"))
                .body(not(containsString("<script>")));
        given().auth().oauth2(DPO).accept("text/html").queryParam("lang", "en")
                .when().get("/audit-records/pupils/" + pupil + "/report")
                .then().statusCode(200).body(containsString("Who accessed this pupil"))
                .body(containsString("opened a case file for the pupil"));
        // The report is itself in the trail.
        await().atMost(Duration.ofSeconds(30)).until(() -> given().auth().oauth2(DPO).queryParam("action", "audit.report")
                .queryParam("pupilId", pupil).when().get("/audit-records").then().extract()
                .<List<Object>>path("eventId").size() >= 3);
    }

    /**
     * T4: audit-service's own tests run without case-service and referral-service, so the directories
     * cannot be read: the page still names no one by username, role code or organisation id, says
     * why it names people by function, translates every purpose, and groups identical refusals.
     */
    @Test
    void t4_withoutTheDirectoriesThePageNamesPeopleByFunctionAndNeverByUsernameCodeOrId() {
        String pupil = PlantedAccesses.plant(pseudonyms, DPO);
        String page = given().auth().oauth2(DPO).accept("text/html").when().get("/audit-records/pupils/" + pupil + "/report")
                .then().statusCode(200)
                .body(containsString("<html lang=\"nl\">"))
                .body(containsString("<main id=\"main\">"))
                .body(containsString("<table id=\"accesses\">"))
                .body(containsString("<tr class=\"access\">"))
                .body(containsString("id=\"lang-switch\" href=\"?lang=en\""))
                .body(containsString("id=\"names-note\""))
                .body(containsString("een leerlingbegeleider van de school"))
                .body(containsString("het schoolplatform van de school"))
                .body(containsString("het systeem van een CLB"))
                .body(containsString("de ouders"))
                .body(containsString("een leerkracht van de school"))
                .body(containsString("5 keer geweigerd"))
                .body(containsString("een leerlingbegeleider van een andere school"))
                .body(containsString("leerlingenbegeleiding"))
                .body(containsString("de leerlingenlijst van de school bijhouden"))
                .body(containsString("een doorverwijzing naar het CLB"))
                .body(containsString("de overstap naar een andere school"))
                .body(containsString("een doorverwijzing naar een andere organisatie"))
                .body(containsString("de ontvangst van de doorverwijzing bevestigd"))
                .body(containsString("uit het logboek van de school"))
                .body(containsString("door de functionaris voor gegevensbescherming van de school"))
                .body(containsString("@media print"))
                .body(containsString("break-inside: avoid"))
                .body(containsString("counter(page) \" / \" counter(pages)"))
                .extract().asString();
        PlantedAccesses.keep("access-report-fallback.html", page);
        for (String never : PlantedAccesses.NEVER_ON_THE_DUTCH_PAGE) {
            org.junit.jupiter.api.Assertions.assertFalse(page.contains(never), () -> "the Dutch page shows \"" + never + "\"");
        }
        org.junit.jupiter.api.Assertions.assertEquals(1, page.split("<h1", -1).length - 1, "one h1");
        // The JSON keeps the codes beside the words, and one line for the five refusals.
        given().auth().oauth2(DPO).when().get("/audit-records/pupils/" + pupil + "/report")
                .then().statusCode(200)
                .body("namesLookedUp", equalTo(false))
                .body("organisationName", equalTo("de school"))
                .body("$", not(org.hamcrest.Matchers.hasKey("printHeader")))
                .body("accesses.findAll { it.action != 'audit.report' }", hasSize(PlantedAccesses.COUNT - 4))
                .body("accesses[2].who", equalTo("an.teacher"))
                .body("accesses[2].role", equalTo("teacher"))
                .body("accesses[2].whoInWords", equalTo("een leerkracht van de school"))
                .body("accesses[2].count", equalTo(5))
                .body("accesses[2].outcomeInWords", equalTo("5 keer geweigerd"))
                .body("accesses[0].purpose", equalTo("pupil guidance"))
                .body("accesses[0].why", equalTo("leerlingenbegeleiding"));
        given().auth().oauth2(DPO).accept("text/html").queryParam("lang", "en")
                .when().get("/audit-records/pupils/" + pupil + "/report")
                .then().statusCode(200)
                .body(containsString("<html lang=\"en\">"))
                .body(containsString("id=\"lang-switch\" href=\"?lang=nl\""))
                .body(containsString("a pupil counsellor of the school"))
                .body(containsString("the school platform of the school"))
                .body(containsString("refused 5 times"))
                .body(containsString("the move to another school"))
                .body(not(containsString("bart.counsellor")));
    }

    @Test
    void t4_onlyTheDpoMakesItAndOnlyForTheirOwnOrganisation() {
        String pupil = pupilWithTwoAccesses();
        given().auth().oauth2(TestTokens.of("luc.dpo", "school-de-linde", "school", "dpo"))
                .when().get("/audit-records/pupils/" + pupil + "/report")
                .then().statusCode(200).body("accesses", hasSize(0));
        given().auth().oauth2(TestTokens.of("bart.counsellor", SCHOOL, "school", "pupil-counsellor"))
                .when().get("/audit-records/pupils/" + pupil + "/report")
                .then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(DPO).queryParam("lang", "fr").when().get("/audit-records/pupils/" + pupil + "/report")
                .then().statusCode(400).body("errors.field", hasItem("lang"));
    }

    /**
     * M1: the report for the parents leaves out what a pupil of 12 or more kept from them, as
     * case-service and referral-service tell; when they cannot (here neither runs), it is not made
     * (503, a problem), never made without the filter. The pupil's own report is made.
     */
    @Test
    void m1_theParentsReportIsNotMadeWhenTheServicesCannotTellWhatToLeaveOut() {
        String pupil = pupilWithTwoAccesses();
        given().auth().oauth2(DPO).queryParam("addressee", "PARENTS").when().get("/audit-records/pupils/" + pupil + "/report")
                .then().statusCode(503).contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.endsWith(":parents-report-unavailable"))
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("\"accesses\"")));
        given().auth().oauth2(DPO).queryParam("addressee", "PUPIL").when().get("/audit-records/pupils/" + pupil + "/report")
                .then().statusCode(200).body("accesses.findAll { it.action != 'audit.report' }", hasSize(2))
                .body("leftOut", hasSize(0));
    }
}
