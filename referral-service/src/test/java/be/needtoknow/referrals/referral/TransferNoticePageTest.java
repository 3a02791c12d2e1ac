package be.needtoknow.referrals.referral;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import be.needtoknow.referrals.casefile.CaseServiceStandIn;
import be.needtoknow.testing.TestStack;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * X: the parents' and the pupil's page of a transfer notice (no account: the link is the
 * credential). A browser gets a page in plain words, addressed to the parents ("u") or to the pupil
 * ("je"), with the items as agreed, until when one may object, the state, and two forms that work
 * without JavaScript; JSON callers keep getting JSON.
 */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = CaseServiceStandIn.class, scope = TestResourceScope.MATCHING_RESOURCES)
class TransferNoticePageTest {

    @jakarta.inject.Inject
    jakarta.persistence.EntityManager em;

    static final String BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");

    /** A transfer with an item carrying this marker; returns the links (parents first, then the pupil's if 12+). */
    static List<String> notices(String pupilId, String marker) {
        String id = TransferTest.transfer(pupilId, false);
        given().auth().oauth2(TransferTest.COUNSELLOR).contentType(ContentType.JSON).body("""
                {"items": [
                  {"type": "QUESTION", "purpose": "to continue the support", "text": "Needs a quiet place %s <b>bold</b>"},
                  {"type": "CONTACT", "purpose": "to reach the care coordinator", "name": "Carla Peeters",
                   "email": "carla@sint-jan.example"}
                ]}""".formatted(marker))
                .when().put("/referrals/" + id + "/items").then().statusCode(200);
        return TransferTest.discuss(id, TransferTest.DISCUSSED);
    }

    static String marker() {
        return "marker-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String page(String link, int status) {
        String html = given().accept(BROWSER).when().get(link)
                .then().statusCode(status).contentType(containsString("text/html")).extract().asString();
        save(html);
        return html;
    }

    /** Each page as served, under target/pages/ (by its state), for a look or an accessibility scan by hand. */
    static void save(String html) {
        save(html, "");
    }

    static void save(String html, String suffix) {
        java.util.regex.Matcher state = java.util.regex.Pattern.compile("data-state=\"([A-Z_]+)\"").matcher(html);
        String name = (state.find() ? state.group(1) : "page") + (html.contains("Je gaat") ? "-pupil" : "") + suffix;
        try {
            java.nio.file.Files.createDirectories(java.nio.file.Path.of("target/pages"));
            java.nio.file.Files.writeString(java.nio.file.Path.of("target/pages/transfer-notice-" + name + ".html"), html);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String inWords(OffsetDateTime when, Locale locale) {
        return DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(locale).format(when.atZoneSameInstant(BRUSSELS));
    }

    @Test
    void x_theParentsPageShowsInPlainDutchWhatTheNewSchoolReceivesAndUntilWhenTheyMayObject() {
        String marker = marker();
        String link = notices(CaseServiceStandIn.PUPIL_OF_13, marker).get(0);
        OffsetDateTime ends = OffsetDateTime.parse(given().accept(ContentType.JSON).when().get(link)
                .then().statusCode(200).extract().path("periodEndsAt"));
        String html = page(link, 200);
        assertTrue(html.contains("<html lang=\"nl\">"), html);
        assertTrue(html.contains("<main data-state=\"OPEN\">"), html);
        assertTrue(html.contains("<title>Wat de nieuwe school over uw kind krijgt</title>"), html);
        assertTrue(html.contains("Uw kind gaat van Sint-Jansschool naar Basisschool De Linde."), html);
        assertTrue(html.contains("Wat de nieuwe school krijgt"), html);
        // The items as the school agreed them, escaped.
        assertTrue(html.contains("Needs a quiet place " + marker + " &lt;b&gt;bold&lt;/b&gt;"), html);
        assertFalse(html.contains("<b>bold</b>"), html);
        assertTrue(html.contains("Carla Peeters") && html.contains("carla@sint-jan.example"), html);
        assertTrue(html.contains("to continue the support"), "the purpose of each item is shown");
        // Until when, in words.
        assertTrue(html.contains("bezwaar maken tot " + inWords(ends, Locale.forLanguageTag("nl")) + " om "), html);
        assertTrue(inWords(ends, Locale.forLanguageTag("nl")).matches("\\d{1,2} [a-z]+ \\d{4}"));
        // The two forms, without JavaScript.
        assertTrue(html.contains("<form method=\"post\" action=\"" + link + "/agreement?lang=nl\">"), html);
        assertTrue(html.contains("<form method=\"post\" action=\"" + link + "/objection?lang=nl\">"), html);
        assertTrue(html.contains("<button type=\"submit\" id=\"agree\">"), html);
        assertTrue(html.contains("<label for=\"reason\">Waarom bent u het niet eens?</label>"), html);
        assertTrue(html.contains("<textarea id=\"reason\" name=\"reason\" required maxlength=\"2000\""), html);
        assertTrue(html.contains("id=\"object\""), html);
        assertTrue(html.contains("id=\"lang-switch\" href=\"" + link + "?lang=en\""), html);
        assertFalse(html.contains("<script"), html);
        // No jargon, no rule ids.
        for (String jargon : List.of(">item", "referral", "PARENTS", "null", "rule")) {
            assertFalse(html.contains(jargon), jargon);
        }
    }

    @Test
    void x_thePupilOf12OrOlderIsAddressedAsJeAndTheParentsAsU() {
        String marker = marker();
        List<String> links = notices(CaseServiceStandIn.PUPIL_OF_13, marker);
        assertEquals(2, links.size());
        String pupil = page(links.get(1), 200);
        assertTrue(pupil.contains("Je gaat van Sint-Jansschool naar Basisschool De Linde."), pupil);
        assertTrue(pupil.contains("<title>Wat je nieuwe school over jou krijgt</title>"), pupil);
        assertTrue(pupil.contains("Waarom ben je het niet eens?"), pupil);
        assertTrue(pupil.contains(marker), pupil);
        assertFalse(pupil.contains("Uw kind"), pupil);
        String parents = page(links.get(0), 200);
        assertTrue(parents.contains("Waarom bent u het niet eens?"), parents);
        assertFalse(parents.contains("Je gaat van"), parents);
    }

    @Test
    void x_englishOnRequestAndJsonForJsonCallers() {
        String marker = marker();
        String link = notices(CaseServiceStandIn.PUPIL_OF_10, marker).get(0);
        String en = given().accept(BROWSER).queryParam("lang", "en").when().get(link)
                .then().statusCode(200).contentType(containsString("text/html")).extract().asString();
        assertTrue(en.contains("<html lang=\"en\">"), en);
        assertTrue(en.contains("What the new school will receive"), en);
        assertTrue(en.contains("Your child is moving from Sint-Jansschool to Basisschool De Linde."), en);
        assertTrue(en.contains("action=\"" + link + "/agreement?lang=en\""), en);
        assertTrue(en.contains("id=\"lang-switch\" href=\"" + link + "?lang=nl\""), en);
        assertTrue(en.contains(marker), en);
        // Accept-Language alone does not change the page (Dutch by default) but still the JSON.
        assertTrue(given().accept(BROWSER).header("Accept-Language", "en").when().get(link).then().statusCode(200)
                .extract().asString().contains("<html lang=\"nl\">"));
        for (String accept : List.of("application/json", "*/*")) {
            given().accept(accept).header("Accept-Language", "en").when().get(link)
                    .then().statusCode(200).contentType(containsString("application/json"))
                    .body("party", equalTo("PARENTS")).body("state", equalTo("OPEN"))
                    .body("explanation", containsString("object until"))
                    .body("items[0].text", containsString(marker));
        }
        given().when().get(link).then().statusCode(200).contentType(containsString("application/json"))
                .body("explanation", containsString("bezwaar"));
    }

    @Test
    void x_anUnknownLinkIsAPlainPageWith404AndStillAProblemForJson() {
        String link = notices(CaseServiceStandIn.PUPIL_OF_10, marker()).get(0);
        String wrong = link.substring(0, link.length() - 4) + (link.endsWith("AAAA") ? "BBBB" : "AAAA");
        for (String unknown : List.of(wrong, "/transfer-notices/" + UUID.randomUUID() + ".x", "/transfer-notices/nonsense")) {
            String html = page(unknown, 404);
            assertTrue(html.contains("<main data-state=\"UNKNOWN\">"), html);
            assertTrue(html.contains("<title>Deze link werkt niet</title>"), html);
            assertTrue(html.contains("Deze link werkt niet (meer)."), html);
            assertTrue(html.contains("Neem dan contact op met de school."), html);
            assertFalse(html.contains("Basisschool De Linde") || html.contains("<form"), html);
            given().accept(ContentType.JSON).when().get(unknown).then().statusCode(404)
                    .contentType("application/problem+json");
        }
        String en = given().accept(BROWSER).queryParam("lang", "en").when().get(wrong).then().statusCode(404)
                .extract().asString();
        assertTrue(en.contains("This link does not work (any more)."), en);
        // A form post through a wrong link: the same page, nothing recorded.
        String posted = given().accept(BROWSER).contentType(ContentType.URLENC).redirects().follow(false)
                .when().post(wrong + "/agreement").then().statusCode(404).contentType(containsString("text/html"))
                .extract().asString();
        assertTrue(posted.contains("data-state=\"UNKNOWN\""), posted);
        given().accept(ContentType.JSON).when().get(link).then().statusCode(200).body("answer", nullValue());
    }

    /** X: a platform (or curl) that agrees without a body still gets the notice as JSON, not the page's redirect. */
    @Test
    void x_agreeingWithoutABodyIsJsonAsBefore() {
        String link = notices(CaseServiceStandIn.PUPIL_OF_10, marker()).get(0);
        // As curl -X POST sends it: no body, no Content-Type (RestAssured would add a form type of its own).
        java.net.http.HttpResponse<String> answer;
        try {
            answer = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port + link
                            + "/agreement")).POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
        assertEquals(200, answer.statusCode(), answer.body());
        assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), answer.headers().toString());
        assertTrue(answer.body().contains("\"answer\":\"AGREED\""), answer.body());
        given().redirects().follow(false).contentType(ContentType.JSON).when().post(link + "/agreement")
                .then().statusCode(409).contentType(containsString("application/problem+json"));
    }

    @Test
    void x_agreeingThroughTheFormRedirectsToThePageWhichShowsTheAnswerAndASecondAnswerIs409() {
        String link = notices(CaseServiceStandIn.PUPIL_OF_10, marker()).get(0);
        Response agreed = given().accept(BROWSER).contentType(ContentType.URLENC).redirects().follow(false)
                .when().post(link + "/agreement?lang=nl");
        assertEquals(303, agreed.statusCode(), agreed.asString());
        assertEquals(link + "?lang=nl", agreed.header("Location"));
        given().accept(ContentType.JSON).when().get(link).then().statusCode(200)
                .body("answer", equalTo("AGREED")).body("state", equalTo("OPEN"));
        String html = page(agreed.header("Location"), 200);
        String today = inWords(OffsetDateTime.now(), Locale.forLanguageTag("nl"));
        assertTrue(html.contains("<main data-state=\"ANSWERED\">"), html);
        assertTrue(html.contains("<title>Uw antwoord is ontvangen</title>"), html);
        assertTrue(html.contains("<p id=\"answer\">U ging op " + today + " akkoord met deze lijst.</p>"), html);
        assertFalse(html.contains("<form"), "an answered notice takes no second answer");

        // A second answer through the form: a page that says so, 409, and nothing changes.
        String refused = given().accept(BROWSER).contentType(ContentType.URLENC).formParam("reason", "second thoughts")
                .redirects().follow(false).when().post(link + "/objection?lang=nl")
                .then().statusCode(409).contentType(containsString("text/html")).extract().asString();
        save(refused, "-409");
        assertTrue(refused.contains("<title>Uw antwoord kon niet meer worden verwerkt</title>"), refused);
        assertTrue(refused.contains("id=\"refused\""), refused);
        assertTrue(refused.contains("via deze link kunt u niet meer antwoorden"), refused);
        given().accept(BROWSER).contentType(ContentType.URLENC).redirects().follow(false)
                .when().post(link + "/agreement").then().statusCode(409).contentType(containsString("text/html"));
        given().accept(ContentType.JSON).when().get(link).then().statusCode(200).body("answer", equalTo("AGREED"));
    }

    @Test
    void x_objectingThroughTheFormRecordsTheReasonForTheSchoolAndAnEmptyReasonChangesNothing() {
        String marker = marker();
        String id = TransferTest.transfer(CaseServiceStandIn.PUPIL_OF_13, false);
        List<String> links = TransferTest.discuss(id, TransferTest.DISCUSSED);
        String pupilLink = links.get(1);

        // An empty reason: the page again, 400, with the message next to the field; nothing recorded.
        for (String reason : List.of("", "   ", "x".repeat(2001))) {
            String html = given().accept(BROWSER).contentType(ContentType.URLENC).formParam("reason", reason)
                    .redirects().follow(false).when().post(pupilLink + "/objection?lang=nl")
                    .then().statusCode(400).contentType(containsString("text/html")).extract().asString();
            save(html, "-400");
            assertTrue(html.contains("<main data-state=\"OPEN\">"), html);
            assertTrue(html.contains("id=\"reason-error\""), html);
            assertTrue(html.contains("<title>Let op: Wat je nieuwe school over jou krijgt</title>"), html);
            assertTrue(html.contains("<h1>Wat je nieuwe school over jou krijgt</h1>"), html);
            assertTrue(html.contains(reason.length() > 2000 ? "Je tekst is te lang." : "Schrijf eerst waarom je het niet eens bent."),
                    html);
            assertTrue(html.contains("aria-invalid=\"true\""), html);
            assertTrue(html.contains("id=\"object\""), "the form is there again");
        }
        given().accept(ContentType.JSON).when().get(pupilLink).then().statusCode(200).body("answer", nullValue());

        String reason = "I do not want " + marker + " passed on.";
        Response objected = given().accept(BROWSER).contentType(ContentType.URLENC).formParam("reason", reason)
                .redirects().follow(false).when().post(pupilLink + "/objection?lang=en");
        assertEquals(303, objected.statusCode(), objected.asString());
        assertEquals(pupilLink + "?lang=en", objected.header("Location"));
        given().accept(ContentType.JSON).when().get(pupilLink).then().statusCode(200)
                .body("answer", equalTo("OBJECTED")).body("answeredAt", not(nullValue()));
        // The school sees the reason; the transfer is held back.
        given().auth().oauth2(TransferTest.COUNSELLOR).when().get("/referrals")
                .then().statusCode(200)
                .body("find { it.id == '" + id + "' }.notices.find { it.party == 'PUPIL' }.objection", equalTo(reason));
        given().auth().oauth2(TransferTest.COUNSELLOR).when().post("/referrals/" + id + "/send")
                .then().statusCode(409).body("detail", containsString("pupil objected"));
        String en = page(objected.header("Location"), 200);
        assertTrue(en.contains("<p id=\"answer\">You objected on " + inWords(OffsetDateTime.now(), Locale.ENGLISH)), en);
        String nl = page(pupilLink, 200);
        assertTrue(nl.contains("Je maakte op " + inWords(OffsetDateTime.now(), Locale.forLanguageTag("nl")) + " bezwaar."), nl);
        assertFalse(nl.contains(marker), "the page does not repeat the objection's text");
    }

    @Test
    void x_t3_aReplacedListAndAWithdrawnTransferShowTheirStatePlainlyWithoutForms() {
        // New items: the old notice is superseded; a new link will reach the family by e-mail.
        String changed = TransferTest.transfer(CaseServiceStandIn.PUPIL_OF_10, false);
        String superseded = TransferTest.discuss(changed, TransferTest.DISCUSSED).get(0);
        given().auth().oauth2(TransferTest.COUNSELLOR).contentType(ContentType.JSON).body(ReferralTest.ITEMS)
                .when().put("/referrals/" + changed + "/items").then().statusCode(200);
        String html = page(superseded, 200);
        assertTrue(html.contains("<main data-state=\"SUPERSEDED\">"), html);
        assertTrue(html.contains("<title>Deze lijst is vervangen door een nieuwe</title>"), html);
        assertTrue(html.contains("De school stuurt u een nieuwe link met de nieuwe lijst per e-mail."), html);
        assertFalse(html.contains("<form") || html.contains("Wat de nieuwe school krijgt"), html);

        // T3: a withdrawn transfer passes nothing on, and the page says so.
        String withdrawnId = TransferTest.transfer(CaseServiceStandIn.PUPIL_OF_10, false);
        String withdrawnLink = TransferTest.discuss(withdrawnId, TransferTest.DISCUSSED).get(0);
        given().auth().oauth2(TransferTest.COUNSELLOR).when().post("/referrals/" + withdrawnId + "/withdraw")
                .then().statusCode(200);
        String withdrawn = page(withdrawnLink, 200);
        assertTrue(withdrawn.contains("<main data-state=\"WITHDRAWN\">"), withdrawn);
        assertTrue(withdrawn.contains("<title>De school geeft niets door</title>"), withdrawn);
        assertTrue(withdrawn.contains("Sint-Jansschool geeft niets van deze lijst aan Basisschool De Linde."), withdrawn);
        assertFalse(withdrawn.contains("<form"), withdrawn);
        // A form post on it: 409, a page that says so.
        given().accept(BROWSER).contentType(ContentType.URLENC).redirects().follow(false)
                .when().post(withdrawnLink + "/agreement").then().statusCode(409).contentType(containsString("text/html"))
                .body(containsString("id=\"refused\""));
    }

    @Test
    void x_aSentTransferAndAnEndedPeriodShowTheirStatePlainlyWithoutForms() {
        // The parents of a pupil under 12 agree through the form; the school sends; the page says so.
        String marker = marker();
        String sentId = TransferTest.transfer(CaseServiceStandIn.PUPIL_OF_10, false);
        given().auth().oauth2(TransferTest.COUNSELLOR).contentType(ContentType.JSON).body("""
                {"items": [{"type": "QUESTION", "purpose": "to continue the support", "text": "%s"}]}""".formatted(marker))
                .when().put("/referrals/" + sentId + "/items").then().statusCode(200);
        String sentLink = TransferTest.discuss(sentId, TransferTest.DISCUSSED).get(0);
        given().accept(BROWSER).contentType(ContentType.URLENC).redirects().follow(false)
                .when().post(sentLink + "/agreement?lang=nl").then().statusCode(303);
        given().auth().oauth2(TransferTest.COUNSELLOR).when().post("/referrals/" + sentId + "/send").then().statusCode(200);
        String sent = page(sentLink, 200);
        assertTrue(sent.contains("<main data-state=\"SENT\">"), sent);
        assertTrue(sent.contains("<title>De gegevens zijn doorgegeven aan de nieuwe school</title>"), sent);
        assertTrue(sent.contains("Sint-Jansschool heeft de gegevens hieronder aan Basisschool De Linde gegeven."), sent);
        assertTrue(sent.contains(marker) && sent.contains("id=\"answer\""), sent);
        assertFalse(sent.contains("<form"), sent);

        // The period ended without an answer: no forms, and a form post is refused with a page (409).
        String endedLink = notices(CaseServiceStandIn.PUPIL_OF_10, marker()).get(0);
        String noticeId = endedLink.substring("/transfer-notices/".length(), endedLink.indexOf('.'));
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> em
                .createNativeQuery("update transfer_notice set period_ends_at = now() - interval '1 minute' where id = cast(?1 as uuid)")
                .setParameter(1, noticeId).executeUpdate());
        String ended = page(endedLink, 200);
        assertTrue(ended.contains("<main data-state=\"PERIOD_ENDED\">"), ended);
        assertTrue(ended.contains("<title>De tijd om te antwoorden is voorbij</title>"), ended);
        assertTrue(ended.contains("Die tijd is voorbij. Via deze link kunt u niet meer antwoorden."), ended);
        assertFalse(ended.contains("<form"), ended);
        given().accept(BROWSER).contentType(ContentType.URLENC).formParam("reason", "too late")
                .redirects().follow(false).when().post(endedLink + "/objection")
                .then().statusCode(409).contentType(containsString("text/html")).body(containsString("id=\"refused\""))
                .body(containsString("data-state=\"PERIOD_ENDED\""));
        given().accept(ContentType.JSON).when().get(endedLink).then().statusCode(200)
                .body("state", equalTo("PERIOD_ENDED")).body("answer", nullValue());
    }
}
