package be.needtoknow.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import be.needtoknow.stack.KafkaAccess;
import be.needtoknow.stack.Mailboxes;
import be.needtoknow.stack.Suite;
import be.needtoknow.stack.Tokens;
import io.restassured.http.ContentType;

/**
 * The packaged services on the real stack, with tokens from the real Keycloak imported from
 * deploy/keycloak/realm.json: the thin end-to-end slice (a counsellor opens a case file; its audit
 * record travels through the outbox and the real broker to audit-service; the DPO reads it) and
 * the token checks (password grant and client credentials accepted, both for the suite's audience;
 * a bad signature, another issuer, another audience and an expired token refused).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SuiteEndToEndTest {

    private Suite suite;

    @BeforeAll
    void start() throws Exception {
        suite = SharedSuite.get();
    }

    private String userToken(String username) {
        return Tokens.password(suite.keycloak().tokenEndpoint(), username, Tokens.DEMO_PASSWORD);
    }

    private String caseService() {
        return suite.serviceUrl("case-service");
    }

    /** CLB Gent's system on Kafka: its own principal, which may read its own topic only. */
    private Map<String, Object> clbGentKafka() {
        return suite.kafka().clientConfig("clb-gent", KafkaAccess.developmentPassword("clb-gent"));
    }

    @Test
    void theThinSlice_aCaseFileOpenedIsInTheDposTrail() {
        String counsellor = userToken("bart.counsellor");
        String id = given().baseUri(caseService()).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"sj-1003\", \"reason\": \"Worried about bullying during breaks\"}")
                .when().post("/case-files")
                .then().statusCode(201).body("owner", equalTo("bart.counsellor")).extract().path("id");

        String dpo = userToken("frank.dpo");
        await().atMost(Duration.ofSeconds(60)).until(() -> given().baseUri(suite.serviceUrl("audit-service"))
                .auth().oauth2(dpo).queryParam("pupilId", "sj-1003").queryParam("action", "case-file.open")
                .when().get("/audit-records")
                .then().statusCode(200).extract().<List<String>>path("record.resourceId").contains(id));
        // The DPO of another school finds nothing about this pupil.
        given().baseUri(suite.serviceUrl("audit-service")).auth().oauth2(userToken("luc.dpo"))
                .queryParam("pupilId", "sj-1003").when().get("/audit-records")
                .then().statusCode(200).body("size()", equalTo(0));
    }

    /**
     * T4 with the real Keycloak, as step 13 of docs/walkthrough.md runs it: the DPO registers Lotte's own request
     * (she is over 12, M1); case-service mails the link to Lotte's own address, and the DPO's answer
     * says only that it was sent. The link, without any token, shows what the school holds (a
     * teacher's signal, not who reported it); the DPO's list shows the read, not the content (N3);
     * the case owner gets no export and may not register.
     */
    @Test
    void t4_theDpoIssuesALinkAndSeesItReadButNotItsContent() {
        String concern = "Sits alone at lunch " + java.util.UUID.randomUUID();
        given().baseUri(caseService()).auth().oauth2(userToken("an.teacher")).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"sj-1001\", \"concern\": \"%s\"}".formatted(concern))
                .when().post("/signals").then().statusCode(201);
        String dpo = userToken("frank.dpo");
        FamilyMail.Mark lotte = FamilyMail.mark(suite, LOTTE, FamilyMail.ACCESS_PACKAGE);
        given().baseUri(caseService()).auth().oauth2(dpo).contentType(ContentType.JSON)
                .body("{\"requestedBy\": \"PUPIL\", \"requestedAt\": \"2026-11-20T09:30:00Z\", "
                        + "\"identityCheck\": \"student card shown to the DPO\"}")
                .when().post("/pupils/sj-1001/access-requests")
                .then().statusCode(201).body("sent.channel", equalTo("MAIL")).body("sent.addresses", equalTo(1));
        String link = lotte.next();
        String content = given().when().get(link)
                .then().statusCode(200).contentType(containsString("application/json"))
                .body("pupil.givenName", equalTo("Lotte")).body("requestedBy", equalTo("PUPIL"))
                .extract().asString();
        assertTrue(content.contains(concern), "the signal's concern is not in the package");
        assertFalse(content.contains("an.teacher"), "a signal's reporter is in the package");
        given().accept("text/html").when().get(link)
                .then().statusCode(200).body(containsString("Wat Sint-Jansschool over jou bijhoudt"));
        String list = given().baseUri(caseService()).auth().oauth2(dpo).when().get("/pupils/sj-1001/access-requests")
                .then().statusCode(200).body("[0].firstReadAt", org.hamcrest.Matchers.notNullValue())
                .extract().asString();
        assertFalse(list.contains(concern), "the DPO's list holds the package's content");
        assertFalse(list.contains(FamilyMail.secret(link, FamilyMail.ACCESS_PACKAGE)), "the DPO's list holds the link's secret");
        String owner = userToken("bart.counsellor");
        given().baseUri(caseService()).auth().oauth2(owner).contentType(ContentType.JSON)
                .body("{\"requestedBy\": \"PARENTS\", \"requestedAt\": \"2026-11-20T09:30:00Z\", \"identityCheck\": \"x\"}")
                .when().post("/pupils/sj-1001/access-requests").then().statusCode(403);
        given().baseUri(caseService()).auth().oauth2(dpo).when().get("/pupils/sj-1001/export").then().statusCode(404);
    }

    /** Lotte Vermeulen's family in deploy/demo/pupils-school-sint-jan.json: both parents and Lotte's own address. */
    private static final String ELS = "els.vermeulen@example.org";
    private static final String TOM = "tom.vermeulen@example.org";
    private static final String LOTTE = "lotte.vermeulen@leerling.example.org";

    /**
     * T4: the access package is the family's, not the DPO's. The DPO registers Emma's parents' request
     * (Emma is 13 and has no address of her own, so her own request is refused: nothing can reach her,
     * and nothing is stored); the DPO's answer says that it was mailed and holds no link; the link
     * arrives in the parents' mailbox and opens the package; the DPO, with a valid token, has nothing
     * to present that opens it: neither the request's id nor the request's id with any secret.
     */
    @Test
    void t4_theDpoCannotReadTheAccessPackage() {
        String parents = "sofie.desmet@example.org"; // Emma Desmet, sj-1003, in the demo register
        String dpo = userToken("frank.dpo");
        int requestsBefore = given().baseUri(caseService()).auth().oauth2(dpo).when().get("/pupils/sj-1003/access-requests")
                .then().statusCode(200).extract().path("size()");
        // M1 allows Emma's own request, but the register holds no address of hers: 409, nothing stored, nothing sent.
        given().baseUri(caseService()).auth().oauth2(dpo).contentType(ContentType.JSON)
                .body("{\"requestedBy\": \"PUPIL\", \"requestedAt\": \"2026-11-20T09:30:00Z\", "
                        + "\"identityCheck\": \"student card shown to the DPO\"}")
                .when().post("/pupils/sj-1003/access-requests")
                .then().statusCode(409).contentType(containsString("application/problem+json"))
                .body("type", equalTo("urn:need-to-know:problem:no-family-contact"));
        given().baseUri(caseService()).auth().oauth2(dpo).when().get("/pupils/sj-1003/access-requests")
                .then().statusCode(200).body("size()", equalTo(requestsBefore));

        FamilyMail.Mark mailbox = FamilyMail.mark(suite, parents, FamilyMail.ACCESS_PACKAGE);
        io.restassured.response.ExtractableResponse<io.restassured.response.Response> registered = given()
                .baseUri(caseService()).auth().oauth2(dpo).contentType(ContentType.JSON)
                .body("{\"requestedBy\": \"PARENTS\", \"requestedAt\": \"2026-11-20T09:30:00Z\", "
                        + "\"identityCheck\": \"mother showed her eID at the school office\"}")
                .when().post("/pupils/sj-1003/access-requests")
                .then().statusCode(201).extract();
        String answer = registered.asString();
        String request = registered.path("id");
        // The DPO learns that it was sent, how and to how many addresses; never the link, never the address.
        assertEquals("MAIL", registered.path("sent.channel"));
        assertEquals(Integer.valueOf(1), registered.path("sent.addresses"));
        assertTrue(String.valueOf((Object) registered.path("sent.summary")).contains("e-mail"), "the summary says how it was sent");
        org.junit.jupiter.api.Assertions.assertNull(registered.path("path"), "the DPO's answer has a path");
        assertFalse(answer.contains("/access-packages/"), "the DPO's answer holds an access-package link");
        assertFalse(answer.contains(parents), "the DPO's answer holds the parents' address");

        Mailboxes.Mail mail = mailbox.nextMail();
        String link = mail.link(FamilyMail.ACCESS_PACKAGE).orElseThrow();
        assertTrue(mail.text().lines().anyMatch(line -> line.strip().equals(link)), "the link is not on a line of its own");
        String secret = FamilyMail.secret(link, FamilyMail.ACCESS_PACKAGE);
        assertFalse(answer.contains(secret), "the DPO's answer holds the link's secret");
        // The parents open it, without any account.
        given().when().get(link).then().statusCode(200).body("pupil.givenName", equalTo("Emma"))
                .body("requestedBy", equalTo("PARENTS"));
        // The DPO holds the request's id and a valid token, which open nothing.
        given().baseUri(caseService()).auth().oauth2(dpo).when().get("/access-packages/" + request).then().statusCode(404);
        given().baseUri(caseService()).auth().oauth2(dpo).when()
                .get("/access-packages/" + request + ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").then().statusCode(404);
        String list = given().baseUri(caseService()).auth().oauth2(dpo).when().get("/pupils/sj-1003/access-requests")
                .then().statusCode(200).body("size()", equalTo(requestsBefore + 1)).extract().asString();
        assertFalse(list.contains(secret) || list.contains("/access-packages/"), "the DPO's list holds the link");
    }

    /**
     * X, M1: the family answers a transfer through its own mail. The counsellor records the discussion
     * of Lotte's transfer to De Linde; the answer says that each notice was mailed (to both parents'
     * addresses, and to Lotte's own, she is 14) and carries no link and no secret, nor the family's
     * addresses. The notices arrive over real SMTP in the family's mailboxes, read over IMAP, the
     * link on a line of its own; the parents agree through theirs, Lotte through her own, and the
     * transfer may be sent. A pupil whose register holds no address of the family gets no notice:
     * recording the discussion is refused, and nothing changes.
     */
    @Test
    void x_theParentsAnswerTheTransferFromTheirOwnMailbox() {
        String counsellor = userToken("bart.counsellor");
        String referralService = suite.serviceUrl("referral-service");
        String transfer = given().baseUri(referralService).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"sj-1001\", \"recipientId\": \"school-de-linde\"}")
                .when().post("/referrals").then().statusCode(201).extract().path("id");
        given().baseUri(referralService).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("""
                        {"items": [{"type": "QUESTION", "purpose": "to continue the support",
                                    "text": "Lotte does well with extra time for tests."}]}""")
                .when().put("/referrals/" + transfer + "/items").then().statusCode(200);
        FamilyMail.Mark els = FamilyMail.mark(suite, ELS, FamilyMail.TRANSFER_NOTICE);
        FamilyMail.Mark tom = FamilyMail.mark(suite, TOM, FamilyMail.TRANSFER_NOTICE);
        FamilyMail.Mark lotte = FamilyMail.mark(suite, LOTTE, FamilyMail.TRANSFER_NOTICE);
        io.restassured.response.ExtractableResponse<io.restassured.response.Response> discussed = given()
                .baseUri(referralService).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("""
                        {"consulted": [
                          {"party": "PUPIL", "when": "2026-11-25T10:00:00Z", "how": "conversation at school", "answer": "AGREED"},
                          {"party": "PARENTS", "when": "2026-11-25T10:00:00Z", "how": "same conversation", "answer": "AGREED"}],
                         "parentsNotInformed": false}""")
                .when().post("/referrals/" + transfer + "/consent").then().statusCode(200).extract();
        String answer = discussed.asString();
        assertEquals(List.of("MAIL", "MAIL"), discussed.path("notices.sent.channel"));
        assertEquals(Integer.valueOf(2), discussed.path("notices.find { it.party == 'PARENTS' }.sent.addresses"));
        assertEquals(Integer.valueOf(1), discussed.path("notices.find { it.party == 'PUPIL' }.sent.addresses"));
        assertEquals(List.of(), discussed.<List<Object>>path("notices.findAll { it.path != null }"), "a notice has a path");
        assertFalse(answer.contains("/transfer-notices/"), "the counsellor's answer holds a transfer-notice link");
        for (String address : List.of(ELS, TOM, LOTTE)) {
            assertFalse(answer.contains(address), "the counsellor's answer holds a family address");
        }

        Mailboxes.Mail parentsMail = els.nextMail();
        String parentsLink = parentsMail.link(FamilyMail.TRANSFER_NOTICE).orElseThrow();
        assertTrue(parentsMail.text().lines().anyMatch(line -> line.strip().equals(parentsLink)),
                "the link is not on a line of its own");
        String fathersLink = tom.next();
        String pupilsLink = lotte.next();
        assertNotEquals(FamilyMail.credential(parentsLink, FamilyMail.TRANSFER_NOTICE),
                FamilyMail.credential(pupilsLink, FamilyMail.TRANSFER_NOTICE), "Lotte's link is her parents' (M1)");
        String list = given().baseUri(referralService).auth().oauth2(counsellor).when().get("/referrals")
                .then().statusCode(200).extract().asString();
        for (String link : List.of(parentsLink, fathersLink, pupilsLink)) {
            String secret = FamilyMail.secret(link, FamilyMail.TRANSFER_NOTICE);
            assertFalse(answer.contains(secret), "the counsellor's answer holds a notice's secret");
            assertFalse(list.contains(secret), "the counsellor's list holds a notice's secret");
        }

        // Until the family answers, the school may not send (X) ...
        given().baseUri(referralService).auth().oauth2(counsellor).when().post("/referrals/" + transfer + "/send")
                .then().statusCode(409).body("rule", equalTo("X"));
        // ... the parents agree from their mail, without any account, and so does Lotte from hers.
        given().when().get(parentsLink).then().statusCode(200);
        given().when().post(parentsLink + "/agreement").then().statusCode(200);
        given().when().post(pupilsLink + "/agreement").then().statusCode(200);
        given().baseUri(referralService).auth().oauth2(counsellor).when().post("/referrals/" + transfer + "/send")
                .then().statusCode(200);

        // No address of the family in the register: no notice can reach them, so the discussion is not recorded.
        String alone = SharedSuite.newPupilWithoutContacts(suite, "nocontact");
        String unreachable = given().baseUri(referralService).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"%s\", \"recipientId\": \"school-de-linde\"}".formatted(alone))
                .when().post("/referrals").then().statusCode(201).extract().path("id");
        given().baseUri(referralService).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("""
                        {"items": [{"type": "QUESTION", "purpose": "to continue the support", "text": "Extra time for tests."}]}""")
                .when().put("/referrals/" + unreachable + "/items").then().statusCode(200);
        given().baseUri(referralService).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("""
                        {"consulted": [
                          {"party": "PUPIL", "when": "2026-11-25T10:00:00Z", "how": "conversation at school", "answer": "AGREED"},
                          {"party": "PARENTS", "when": "2026-11-25T10:00:00Z", "how": "same conversation", "answer": "AGREED"}],
                         "parentsNotInformed": false}""")
                .when().post("/referrals/" + unreachable + "/consent")
                .then().statusCode(409).contentType(containsString("application/problem+json"))
                .body("type", equalTo("urn:need-to-know:problem:no-family-contact"));
        given().baseUri(referralService).auth().oauth2(counsellor).when().get("/referrals").then().statusCode(200)
                .body("find { it.id == '%s' }.status".formatted(unreachable), equalTo("DRAFT"));
    }

    @Test
    void everyServiceAnswersWithSecurityHeadersNoCorsAndABodyLimit() {
        String counsellor = userToken("bart.counsellor");
        for (String service : List.of("case-service", "referral-service", "audit-service")) {
            String url = suite.serviceUrl(service);
            given().baseUri(url).auth().oauth2(counsellor).header("Origin", "https://evil.example")
                    .when().get(service.equals("referral-service") ? "/recipients" : "/q/health/live")
                    .then().statusCode(200)
                    .header("X-Content-Type-Options", "nosniff")
                    .header("X-Frame-Options", "DENY")
                    .header("Referrer-Policy", "no-referrer")
                    .header("Cache-Control", "no-store")
                    .header("Access-Control-Allow-Origin", org.hamcrest.Matchers.nullValue());
            given().baseUri(url).auth().oauth2(counsellor).when().get("/no-such-path")
                    .then().header("Content-Security-Policy", containsString("default-src 'none'"));
            // A body over the limit (4 MB) is refused before it is read: the announced length suffices.
            String path = switch (service) {
                case "case-service" -> "/case-files";
                case "referral-service" -> "/referrals";
                default -> "/audit-log/verification";
            };
            List<String> head = headOfTheAnswer(url, "POST " + path + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\nAuthorization: Bearer " + counsellor + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + (5 * 1024 * 1024) + "\r\n\r\n");
            assertEquals("HTTP/1.1 413 Request Entity Too Large", head.get(0), service);
            assertTrue(head.stream().anyMatch(h -> h.equalsIgnoreCase("content-type: application/problem+json")),
                    service + ": " + head);
        }
    }

    @Test
    void theProdProfileRefusesToStartWithDevelopmentDefaultsNamingEachAndNoValue() throws Exception {
        be.needtoknow.stack.ServiceSpec caseService = be.needtoknow.stack.ServiceSpec.defaults().get(0);
        java.util.Map<String, String> env = new java.util.HashMap<>(suite.environment(caseService));
        env.put("QUARKUS_PROFILE", "prod");
        env.put("QUARKUS_HTTP_PORT", "0");
        env.put("NTK_KAFKA_PASSWORD", KafkaAccess.developmentPassword(caseService.name()));
        // The local profile's default of the referral grants' key (application.properties), given as a deployment would.
        String grantKey = "dev-only-referral-grant-key-not-for-production";
        env.put("NTK_REFERRAL_GRANT_KEY", grantKey);
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", suite.jarOf(caseService).toString()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output;
        try (var in = process.getInputStream()) {
            output = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertTrue(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "case-service did not stop");
        assertNotEquals(0, process.exitValue(), output);
        assertTrue(output.contains("Refusing to start in the prod profile with development defaults"), output);
        for (String setting : List.of("QUARKUS_DATASOURCE_PASSWORD", "QUARKUS_FLYWAY_PASSWORD", "NTK_PSEUDONYM_KEY",
                "NTK_KAFKA_PASSWORD", "NTK_REFERRAL_GRANT_KEY")) {
            assertTrue(output.contains(setting), setting + " is not named: " + output);
        }
        for (String value : List.of(caseService.appPassword(), caseService.password(), Suite.DEV_PSEUDONYM_KEY,
                KafkaAccess.developmentPassword(caseService.name()), grantKey)) {
            assertFalse(output.contains(value), "a secret's value is in the log");
        }
    }

    /**
     * Hostile input for every endpoint of the three services (from their OpenAPI documents), with a
     * privileged caller's real token: malformed JSON, wrong types, unknown fields, injection strings,
     * NUL characters, deep nesting, path-traversal and absurd ids, absurd pagination and periods.
     * Never a 5xx; every refusal a problem response.
     */
    @Test
    void hostileInputIsNeverAServerErrorAndAlwaysAProblem() throws Exception {
        Map<String, String> callers = Map.of("case-service", userToken("bart.counsellor"),
                "referral-service", userToken("bart.counsellor"), "audit-service", userToken("frank.dpo"));
        List<String> bodies = List.of("{", "[]", "null", "\"text\"", "{\"unknown\": 1}",
                "{\"pupilId\": 12, \"items\": \"x\", \"text\": [], \"consulted\": {}, \"kind\": \"NONE\"}",
                "{\"pupilId\": \"' OR 1=1 --\", \"reason\": \"<script>alert(1)</script>\", \"recipientId\": \"../../etc/passwd\", "
                        + "\"pupilBirthDate\": \"9999-99-99\"}",
                "{\"pupilId\": \"a\\u0000\", \"reason\": \"b\\u0000\", \"text\": \"\\u0000\"}",
                "{\"a\":".repeat(1500) + "1" + "}".repeat(1500));
        List<String> ids = List.of("00000000-0000-0000-0000-000000000000", "..%2F..%2Fetc%2Fpasswd", "%00", "x".repeat(300),
                "99999999999999999999");
        List<String> queries = List.of("", "?page=-1&size=99999999999&from=2026-13-45&to=x&leafIndex=-5&treeSize=abc&first=0&lang=zz");
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        List<String> failures = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        // Eight at a time: the answers are what counts, not their order, and one at a time takes half a minute.
        java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(8);
        List<java.util.concurrent.CompletableFuture<?>> sent = new java.util.ArrayList<>();
        for (Map.Entry<String, String> caller : callers.entrySet()) {
            String base = suite.serviceUrl(caller.getKey());
            Map<String, Map<String, Object>> paths = given().baseUri(base).queryParam("format", "json").when().get("/q/openapi")
                    .then().statusCode(200).extract().jsonPath().getMap("paths");
            for (Map.Entry<String, Map<String, Object>> path : paths.entrySet()) {
                for (String method : path.getValue().keySet()) {
                    if (!List.of("get", "post", "put", "delete").contains(method)) {
                        continue;
                    }
                    for (String id : ids) {
                        String target = path.getKey().replaceAll("\\{[^}]+}", java.util.regex.Matcher.quoteReplacement(id));
                        for (String query : queries) {
                            for (String body : method.equals("post") || method.equals("put") ? bodies : List.of("")) {
                                var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + target + query))
                                        .header("Authorization", "Bearer " + caller.getValue())
                                        .header("Content-Type", "application/json")
                                        .method(method.toUpperCase(java.util.Locale.ROOT), body.isEmpty()
                                                ? java.net.http.HttpRequest.BodyPublishers.noBody()
                                                : java.net.http.HttpRequest.BodyPublishers.ofString(body)).build();
                                String what = method + " " + caller.getKey() + target + query + " [" + body.substring(0,
                                        Math.min(30, body.length())) + "]";
                                inFlight.acquire();
                                sent.add(http.sendAsync(request, java.net.http.HttpResponse.BodyHandlers.discarding())
                                        .whenComplete((response, failed) -> {
                                            inFlight.release();
                                            if (failed != null) {
                                                failures.add(what + " → " + failed);
                                                return;
                                            }
                                            String type = response.headers().firstValue("Content-Type").orElse("");
                                            if (response.statusCode() >= 500
                                                    || response.statusCode() >= 400 && !type.contains("application/problem+json")) {
                                                failures.add(what + " → " + response.statusCode() + " " + type);
                                            }
                                        }));
                            }
                        }
                    }
                }
            }
        }
        int requests = sent.size();
        java.util.concurrent.CompletableFuture.allOf(sent.toArray(java.util.concurrent.CompletableFuture[]::new))
                .exceptionally(failed -> null).get(5, java.util.concurrent.TimeUnit.MINUTES);
        assertEquals(List.of(), failures.stream().limit(20).toList(), failures.size() + " of " + requests + " hostile requests");
        assertTrue(requests > 1000, "only " + requests + " requests");
    }

    /** Sends raw request headers and returns the status line and the headers of the answer. */
    private static List<String> headOfTheAnswer(String url, String head) {
        java.net.URI uri = java.net.URI.create(url);
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            java.io.BufferedReader answer = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII));
            List<String> lines = new java.util.ArrayList<>();
            for (String line = answer.readLine(); line != null && !line.isEmpty(); line = answer.readLine()) {
                lines.add(line);
            }
            return lines;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * N1, A1, T2 on the real services: case-service hands the chosen note over for the referral's
     * draft (an audited read, not a disclosure); the note travels to the CLB exactly as it was
     * handed over; the DPO sees its disclosure, recorded by referral-service when the referral was
     * sent, naming the referral, the recipient and the legal basis: consent, and for a second,
     * urgent-danger referral of the same note, vital interest, in the DPO's review of those.
     */
    @Test
    void n1_a1_aChosenNoteTravelsToTheClbExactlyAsCaseServiceHandedItOverAndTheDpoSeesItsDisclosure() throws Exception {
        String counsellor = userToken("bart.counsellor");
        String file = given().baseUri(caseService()).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"sj-1004\", \"reason\": \"Falling grades, conflict at home\"}")
                .when().post("/case-files").then().statusCode(201).extract().path("id");
        String teamNote = given().baseUri(caseService()).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("{\"kind\": \"MEETING\", \"visibility\": \"CARE_TEAM\", \"text\": \"Parents separated in September; Noah moves between two homes.\"}")
                .when().post("/case-files/" + file + "/notes").then().statusCode(201).extract().path("id");
        String privateNote = given().baseUri(caseService()).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("{\"kind\": \"OBSERVATION\", \"visibility\": \"PRIVATE\", \"text\": \"My own hunch.\"}")
                .when().post("/case-files/" + file + "/notes").then().statusCode(201).extract().path("id");

        String referralService = suite.serviceUrl("referral-service");
        String referral = given().baseUri(referralService).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"sj-1004\", \"recipientId\": \"clb-gent\"}")
                .when().post("/referrals").then().statusCode(201).extract().path("id");
        String items = """
                {"items": [{"type": "QUESTION", "purpose": "what we ask", "text": "Can the CLB talk with Noah?"},
                           {"type": "NOTE", "purpose": "the situation at home", "caseFileId": "%s", "noteId": "%s",
                            "excerpt": "Noah moves between two homes."}]}""";
        // A private working note is never part of a referral (N1): case-service refuses, and says why.
        given().baseUri(referralService).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body(items.formatted(file, privateNote).replace("Noah moves between two homes.", "hunch"))
                .when().put("/referrals/" + referral + "/items").then().statusCode(403).body("rule", equalTo("N1"));
        given().baseUri(referralService).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body(items.formatted(file, teamNote))
                .when().put("/referrals/" + referral + "/items").then().statusCode(200);
        String preview = given().baseUri(referralService).auth().oauth2(counsellor)
                .when().get("/referrals/" + referral + "/preview").then().statusCode(200).extract().asString();
        org.junit.jupiter.api.Assertions.assertTrue(preview.contains("\"text\":\"Noah moves between two homes.\""), preview);
        org.junit.jupiter.api.Assertions.assertFalse(preview.contains("Parents separated"), "more than the excerpt was sent");
        given().baseUri(referralService).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("""
                        {"consulted": [{"party": "PUPIL", "when": "2026-11-24T10:00:00Z", "how": "talk", "answer": "AGREED"}],
                         "parentsNotInformed": false}""")
                .when().post("/referrals/" + referral + "/consent").then().statusCode(200);
        given().baseUri(referralService).auth().oauth2(counsellor).when().post("/referrals/" + referral + "/send")
                .then().statusCode(200);
        List<be.needtoknow.testing.TestTopics.Received> received = be.needtoknow.testing.TestTopics.readUntil(
                clbGentKafka(), "ntk.referrals.clb-gent.v1", r -> r.value().contains(referral),
                Duration.ofSeconds(30));
        be.needtoknow.testing.TestTopics.Received event = received.get(received.size() - 1);
        org.junit.jupiter.api.Assertions.assertEquals(preview, event.value());

        // The reference subscriber of CLB Gent prints it once and acknowledges receipt; a second
        // delivery of the same event (same ce_id) is recognised and ignored, also after a restart.
        java.nio.file.Path state = java.nio.file.Files.createTempFile("clb-gent", ".seen-ids");
        var settings = new be.needtoknow.subscriber.ReferenceSubscriber.Settings("clb-gent", suite.kafka().bootstrapServers(),
                "clb-gent", KafkaAccess.developmentPassword("clb-gent"), "clb-gent-system", Tokens.devSecret("clb-gent-system"), suite.keycloak().tokenEndpoint(), referralService, state);
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        try (var subscriber = new be.needtoknow.subscriber.ReferenceSubscriber(settings, new java.io.PrintStream(printed, true))) {
            subscriber.pollUntilIdle(Duration.ofSeconds(3));
        }
        org.junit.jupiter.api.Assertions.assertTrue(printed.toString().contains(preview), printed.toString());
        String clb = Tokens.clientCredentials(suite.keycloak().tokenEndpoint(), "clb-gent-system",
                Tokens.devSecret("clb-gent-system"));
        given().baseUri(referralService).auth().oauth2(clb).when().get("/referrals").then().statusCode(200)
                .body("find { it.id == '%s' }.status".formatted(referral), equalTo("RECEIVED"));
        be.needtoknow.testing.TestTopics.send(suite.kafka().adminConfig(), "ntk.referrals.clb-gent.v1",
                event.key(), event.value(), event.headers());
        java.io.ByteArrayOutputStream again = new java.io.ByteArrayOutputStream();
        try (var restarted = new be.needtoknow.subscriber.ReferenceSubscriber(settings, new java.io.PrintStream(again, true))) {
            org.junit.jupiter.api.Assertions.assertEquals(0, restarted.pollUntilIdle(Duration.ofSeconds(3)));
        }
        org.junit.jupiter.api.Assertions.assertEquals("", again.toString(), "a duplicate was printed again");

        // The CLB's system accepts it with its own service account.
        given().baseUri(referralService).auth().oauth2(clb).when().post("/referrals/" + referral + "/acceptance")
                .then().statusCode(200).body("status", equalTo("ACCEPTED"));

        // The same note in an urgent-danger referral, without consent (vital interest).
        String urgent = given().baseUri(referralService).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"sj-1004\", \"recipientId\": \"clb-gent\"}")
                .when().post("/referrals").then().statusCode(201).extract().path("id");
        given().baseUri(referralService).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body(items.formatted(file, teamNote))
                .when().put("/referrals/" + urgent + "/items").then().statusCode(200);
        given().baseUri(referralService).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("{\"justification\": \"Noah said he cannot go home tonight; visible bruises.\"}")
                .when().post("/referrals/" + urgent + "/urgent-danger").then().statusCode(200);
        given().baseUri(referralService).auth().oauth2(counsellor).when().post("/referrals/" + urgent + "/send")
                .then().statusCode(200);

        // The DPO: one disclosure per sent referral, naming it, its recipient and its legal basis;
        // choosing the note for the drafts was a read ("preparing a referral"), not a disclosure.
        String dpo = userToken("frank.dpo");
        String auditService = suite.serviceUrl("audit-service");
        String consented = "referral/" + referral + "/notes/" + teamNote;
        String vital = "referral/" + urgent + "/notes/" + teamNote;
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            List<String> resources = given().baseUri(auditService).auth().oauth2(dpo)
                    .queryParam("pupilId", "sj-1004").queryParam("action", "note.disclose").when().get("/audit-records")
                    .then().statusCode(200).extract().path("record.collect { it.resourceType + '/' + it.resourceId }");
            return resources.contains(consented) && resources.contains(vital);
        });
        List<Map<String, Object>> disclosures = given().baseUri(auditService).auth().oauth2(dpo)
                .queryParam("pupilId", "sj-1004").queryParam("action", "note.disclose").when().get("/audit-records")
                .then().statusCode(200).extract().path("record");
        assertEquals(2, disclosures.size(), disclosures.toString());
        for (Map<String, Object> record : disclosures) {
            boolean isUrgent = ((String) record.get("resourceId")).startsWith(urgent);
            assertEquals(isUrgent ? "vital-interest" : "consent", record.get("legalBasis"), record.toString());
            assertEquals("referral to clb-gent", record.get("purpose"), record.toString());
            assertEquals("referral-service", record.get("service"), record.toString());
        }
        // The DPO's review of what left without consent lists the urgent one, and not the consented one.
        List<String> review = given().baseUri(auditService).auth().oauth2(dpo)
                .queryParam("legalBasis", "vital-interest").queryParam("action", "note.disclose").when().get("/audit-records")
                .then().statusCode(200).extract().path("record.collect { it.resourceType + '/' + it.resourceId }");
        assertTrue(review.contains(vital) && !review.contains(consented), review.toString());
        // Choosing the note for each draft was a read of the note by its owner, for a fixed purpose.
        List<String> purposes = given().baseUri(auditService).auth().oauth2(dpo)
                .queryParam("pupilId", "sj-1004").queryParam("action", "note.read").when().get("/audit-records")
                .then().statusCode(200).extract().path("record.findAll { it.resourceId == '%s' }.purpose".formatted(teamNote));
        assertTrue(purposes.size() >= 2 && purposes.stream().allMatch("preparing a referral"::equals), purposes.toString());
    }

    /**
     * The walkthrough (docs/walkthrough.md) with tokens of the real Keycloak (deploy/keycloak/realm.json) and the
     * broker's real ACLs: a counsellor opens a case file, records the confidentiality notice (S1) and
     * a note, refers the pupil to the CLB with consent (T1, N1); CLB Gent's system receives it as its
     * own Kafka principal, which the broker refuses anything else (N2), and accepts; the DPO finds the
     * trail and checks an inclusion proof against a signed checkpoint with the verifier key alone,
     * the checkpoint cosigned by both witnesses of the suite (A2).
     */
    @Test
    void theWalkthroughWithTheRealKeycloak_counsellorToClbToDpo() throws Exception {
        String counsellor = userToken("bart.counsellor");
        String file = given().baseUri(caseService()).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"sj-1002\", \"reason\": \"Falls asleep in class\"}")
                .when().post("/case-files").then().statusCode(201).extract().path("id");
        String note = "{\"kind\": \"CONVERSATION\", \"visibility\": \"CARE_TEAM\", \"text\": \"Yusuf works nights in the family shop.\"}";
        given().baseUri(caseService()).auth().oauth2(counsellor).contentType(ContentType.JSON).body(note)
                .when().post("/case-files/" + file + "/notes").then().statusCode(409).body("rule", equalTo("S1"));
        given().baseUri(caseService()).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("{\"givenAt\": \"2026-11-20T09:30:00Z\", \"how\": \"SPOKEN\"}")
                .when().post("/case-files/" + file + "/confidentiality-notices").then().statusCode(201);
        given().baseUri(caseService()).auth().oauth2(counsellor).contentType(ContentType.JSON).body(note)
                .when().post("/case-files/" + file + "/notes").then().statusCode(201);

        String referralService = suite.serviceUrl("referral-service");
        String referral = given().baseUri(referralService).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"sj-1002\", \"recipientId\": \"clb-gent\"}")
                .when().post("/referrals").then().statusCode(201).extract().path("id");
        given().baseUri(referralService).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("""
                        {"items": [{"type": "QUESTION", "purpose": "what we ask the CLB", "text": "Can you talk with Yusuf about his sleep?"}]}""")
                .when().put("/referrals/" + referral + "/items").then().statusCode(200);
        given().baseUri(referralService).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("""
                        {"consulted": [{"party": "PUPIL", "when": "2026-11-24T10:00:00Z", "how": "talk", "answer": "AGREED"},
                                       {"party": "PARENTS", "when": "2026-11-24T18:00:00Z", "how": "phone call", "answer": "AGREED"}],
                         "parentsNotInformed": false}""")
                .when().post("/referrals/" + referral + "/consent").then().statusCode(200);
        given().baseUri(referralService).auth().oauth2(counsellor).when().post("/referrals/" + referral + "/send")
                .then().statusCode(200);

        // CLB Gent's system, as its own Kafka principal: it reads its own topic ...
        java.nio.file.Path state = Files.createTempFile("clb-gent", ".seen-ids");
        var settings = new be.needtoknow.subscriber.ReferenceSubscriber.Settings("clb-gent", suite.kafka().bootstrapServers(),
                "clb-gent", KafkaAccess.developmentPassword("clb-gent"), "clb-gent-system", Tokens.devSecret("clb-gent-system"),
                suite.keycloak().tokenEndpoint(), referralService, state);
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        try (var subscriber = new be.needtoknow.subscriber.ReferenceSubscriber(settings, new java.io.PrintStream(printed, true))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                subscriber.pollUntilIdle(Duration.ofSeconds(1));
                return printed.toString().contains(referral);
            });
        }
        // ... and the broker refuses it another CLB's topic and the audit trail.
        var clb = new java.util.HashMap<String, Object>(clbGentKafka());
        clb.put("key.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class.getName());
        clb.put("value.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class.getName());
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(clb)) {
            for (String other : List.of("ntk.referrals.clb-brugge.v1", "ntk.audit.v1")) {
                org.junit.jupiter.api.Assertions.assertThrows(org.apache.kafka.common.errors.TopicAuthorizationException.class,
                        () -> consumer.partitionsFor(other), other);
            }
        }
        String clbSystem = Tokens.clientCredentials(suite.keycloak().tokenEndpoint(), "clb-gent-system",
                Tokens.devSecret("clb-gent-system"));
        given().baseUri(referralService).auth().oauth2(clbSystem).when().post("/referrals/" + referral + "/acceptance")
                .then().statusCode(200);
        given().baseUri(referralService).auth().oauth2(counsellor).when().get("/referrals").then().statusCode(200)
                .body("find { it.id == '%s' }.status".formatted(referral), equalTo("ACCEPTED"));

        // The DPO: the case file's opening is in the trail, and provably so.
        String audit = suite.serviceUrl("audit-service");
        String dpo = userToken("frank.dpo");
        int leaf = await().atMost(Duration.ofSeconds(60)).until(() -> given().baseUri(audit).auth().oauth2(dpo)
                .queryParam("pupilId", "sj-1002").queryParam("action", "case-file.open").when().get("/audit-records")
                .then().statusCode(200).extract().<List<Integer>>path("leafIndex"), l -> !l.isEmpty()).get(0);
        String checkpoint = given().baseUri(audit).auth().oauth2(dpo).when().post("/audit-log/checkpoints")
                .then().statusCode(200).extract().asString();
        String verifierKey = given().baseUri(audit).auth().oauth2(dpo).when().get("/audit-log/verifier-key")
                .then().statusCode(200).extract().asString().trim();
        String[] lines = checkpoint.split("\n");
        long size = Long.parseLong(lines[1]);
        // Cosigned by the witnesses of two other parties (CLB Gent, the school board), each of which
        // keeps it in its own storage; the log's state gives the size each cosigned.
        for (var witness : suite.witnesses().running()) {
            String line = checkpoint.lines().filter(l -> l.startsWith("\u2014 " + witness.spec().name() + " ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no cosignature of " + witness.spec().name() + ":\n" + checkpoint));
            String held = given().baseUri(witness.url()).queryParam("origin", lines[0]).when().get("/checkpoint")
                    .then().statusCode(200).extract().asString();
            assertTrue(held.startsWith(lines[0] + "\n" + size + "\n") && held.contains(line), held);
        }
        given().baseUri(audit).auth().oauth2(dpo).when().get("/audit-log/state").then().statusCode(200)
                .body("witnessQuorum", equalTo(2))
                .body("witnessedSize", org.hamcrest.Matchers.greaterThanOrEqualTo((int) size))
                .body("witnesses.largestCosignedSize", org.hamcrest.Matchers.everyItem(
                        org.hamcrest.Matchers.greaterThanOrEqualTo((int) size)))
                .body("alarms", org.hamcrest.Matchers.empty());
        var proof = given().baseUri(audit).auth().oauth2(dpo).queryParam("leafIndex", leaf).queryParam("treeSize", size)
                .when().get("/audit-log/proofs/inclusion").then().statusCode(200).extract().jsonPath();
        String record = proof.getString("record");
        assertTrue(record.contains("\"resourceId\":\"" + file + "\""), record);
        assertFalse(record.contains("sj-1002") || record.contains("family shop"), "the trail holds no pupil id and no content");
        assertTrue(IndependentCheck.signedBy(checkpoint, verifierKey), "the checkpoint's signature does not verify");
        byte[] root = java.util.Base64.getDecoder().decode(lines[2]);
        byte[] leafHash = IndependentCheck.leafHash(record.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        List<byte[]> path = proof.<String>getList("hashes").stream().map(java.util.Base64.getDecoder()::decode).toList();
        assertTrue(java.util.Arrays.equals(root, IndependentCheck.rootFromInclusionProof(leaf, size, leafHash, path)),
                "the inclusion proof does not lead to the checkpoint's root");
        given().baseUri(audit).auth().oauth2(dpo).when().post("/audit-log/verification").then().statusCode(200)
                .body("consistent", equalTo(true));
    }

    @Test
    void everyEventMatchesTheAsyncApiDocument() throws Exception {
        // Produce each event type: audit records, a referral sent, a referral withdrawn.
        String counsellor = userToken("hans.counsellor");
        String referralService = suite.serviceUrl("referral-service");
        String referral = given().baseUri(referralService).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"dl-0002\", \"recipientId\": \"clb-brugge\"}")
                .when().post("/referrals").then().statusCode(201).extract().path("id");
        given().baseUri(referralService).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("""
                        {"items": [{"type": "QUESTION", "purpose": "what we ask", "text": "Can you see Amir?"},
                                   {"type": "CONTACT", "purpose": "to reach us", "name": "Hans Wouters", "phone": "09 123 45 67"}]}""")
                .when().put("/referrals/" + referral + "/items").then().statusCode(200);
        given().baseUri(referralService).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("""
                        {"consulted": [{"party": "PARENTS", "when": "2026-11-24T18:00:00Z", "how": "meeting", "answer": "AGREED"},
                                       {"party": "PUPIL", "when": "2026-11-24T18:00:00Z", "how": "meeting", "answer": "HEARD"}],
                         "parentsNotInformed": false}""")
                .when().post("/referrals/" + referral + "/consent").then().statusCode(200);
        given().baseUri(referralService).auth().oauth2(counsellor).when().post("/referrals/" + referral + "/send").then().statusCode(200);
        given().baseUri(referralService).auth().oauth2(counsellor).when().post("/referrals/" + referral + "/withdraw").then().statusCode(200);

        var yaml = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var asyncApi = yaml.readTree(Path.of(System.getProperty("ntk.repository", "../..")).resolve("deploy/asyncapi.yaml").toFile());
        var schemas = com.networknt.schema.JsonSchemaFactory.getInstance(com.networknt.schema.SpecVersion.VersionFlag.V202012);
        Map<String, String> payloadOf = Map.of("be.needtoknow.audit.record.v1", "AuditRecord",
                "be.needtoknow.referral.sent.v1", "ReferralSent", "be.needtoknow.referral.withdrawn.v1", "ReferralWithdrawn");
        var headerSchema = schemas.getSchema(asyncApi.at("/components/schemas/CloudEventHeaders"));

        List<be.needtoknow.testing.TestTopics.Received> events = new java.util.ArrayList<>();
        events.addAll(be.needtoknow.testing.TestTopics.readUntil(
                suite.kafka().clientConfig("clb-brugge", KafkaAccess.developmentPassword("clb-brugge")),
                "ntk.referrals.clb-brugge.v1", r -> "be.needtoknow.referral.withdrawn.v1".equals(r.headers().get("ce_type"))
                        && r.value().contains(referral), Duration.ofSeconds(30)));
        events.addAll(be.needtoknow.testing.TestTopics.readUntil(suite.kafka().adminConfig(), "ntk.audit.v1",
                r -> r.value().contains(referral) && r.value().contains("referral.withdraw"), Duration.ofSeconds(30)));
        java.util.Set<String> typesSeen = new java.util.TreeSet<>();
        for (var event : events) {
            String type = event.headers().get("ce_type");
            String schemaName = payloadOf.get(type);
            org.junit.jupiter.api.Assertions.assertNotNull(schemaName, "an event type the AsyncAPI document lacks: " + type);
            var headerErrors = headerSchema.validate(json.valueToTree(event.headers()));
            org.junit.jupiter.api.Assertions.assertEquals(java.util.Set.of(), headerErrors, type + " headers");
            var payloadErrors = schemas.getSchema(asyncApi.at("/components/schemas/" + schemaName)).validate(json.readTree(event.value()));
            org.junit.jupiter.api.Assertions.assertEquals(java.util.Set.of(), payloadErrors, type + ": " + event.value());
            org.junit.jupiter.api.Assertions.assertEquals(type,
                    asyncApi.at("/components/messages/" + schemaName + "/name").asText(), "message name of " + schemaName);
            typesSeen.add(type);
        }
        org.junit.jupiter.api.Assertions.assertEquals(new java.util.TreeSet<>(payloadOf.keySet()), typesSeen);
    }

    /**
     * M1, M2 on the real services: referral-service decides whose consent counts on the birth date in
     * case-service's pupil register, asked with the counsellor's own token, never on one the client
     * types. Amir (dl-0002, De Linde) is nine in the demo register: his own consent with his parents
     * left out is refused, however old a client would say he is.
     */
    @Test
    void m1_theBirthDateComesFromThePupilRegister() {
        String counsellor = userToken("hans.counsellor");
        String referralService = suite.serviceUrl("referral-service");
        String thirteen = java.time.LocalDate.now().minusYears(13).toString();
        // A client that still sends a birth date is told that it is not taken, and nothing is created.
        given().baseUri(referralService).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"dl-0002\", \"pupilBirthDate\": \"%s\", \"recipientId\": \"clb-brugge\"}"
                        .formatted(thirteen))
                .when().post("/referrals")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:need-to-know:problem:unknown-field"))
                .body("errors[0].field", equalTo("pupilBirthDate"));
        // A pupil who is not in the school's register (here another school's) is refused at creation.
        given().baseUri(referralService).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"sj-1001\", \"recipientId\": \"clb-brugge\"}")
                .when().post("/referrals")
                .then().statusCode(404).contentType("application/problem+json");

        String referral = given().baseUri(referralService).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"dl-0002\", \"recipientId\": \"clb-brugge\"}")
                .when().post("/referrals").then().statusCode(201).extract().path("id");
        given().baseUri(referralService).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("""
                        {"items": [{"type": "QUESTION", "purpose": "what we ask", "text": "Can you see Amir about the fights?"}]}""")
                .when().put("/referrals/" + referral + "/items").then().statusCode(200);
        given().baseUri(referralService).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("""
                        {"consulted": [{"party": "PUPIL", "when": "2026-11-24T10:00:00Z", "how": "talk", "answer": "AGREED"}],
                         "parentsNotInformed": true, "parentsNotInformedDecidedBy": "hans.counsellor, with Amir"}""")
                .when().post("/referrals/" + referral + "/consent")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:need-to-know:problem:consent-insufficient"))
                .body("rule", org.hamcrest.Matchers.oneOf("M1", "M2"));
        given().baseUri(referralService).auth().oauth2(counsellor).when().post("/referrals/" + referral + "/send")
                .then().statusCode(409);
        // Below twelve the parents consent and the child is heard (M2): that suffices.
        given().baseUri(referralService).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("""
                        {"consulted": [{"party": "PARENTS", "when": "2026-11-24T18:00:00Z", "how": "meeting", "answer": "AGREED"},
                                       {"party": "PUPIL", "when": "2026-11-24T18:00:00Z", "how": "meeting", "answer": "HEARD"}],
                         "parentsNotInformed": false}""")
                .when().post("/referrals/" + referral + "/consent").then().statusCode(200).body("status", equalTo("READY"));
        // case-service was asked with the counsellor's own token, and its read is in the school DPO's trail (A1).
        String dpo = userToken("luc.dpo");
        await().atMost(Duration.ofSeconds(60)).until(() -> given().baseUri(suite.serviceUrl("audit-service"))
                .auth().oauth2(dpo).queryParam("pupilId", "dl-0002").queryParam("action", "pupil.discernment.read")
                .when().get("/audit-records")
                .then().statusCode(200).extract().<List<String>>path("record.actor.username").contains("hans.counsellor"));
    }

    /**
     * M1, M2 (GDPR art. 15(4)), T4: the access report for the parents of a pupil of 12 or more leaves out
     * the records about what the pupil kept from them (a referral the parents are not to be told of, the
     * pupil's conversation notes, the pupil's own messages), counts them per ground and never names them;
     * the pupil's own report and the DPO's hold them. Both services are asked on the real stack.
     */
    @Test
    void m2_theParentsReportLeavesOutWhatThePupilKeptFromThem() {
        String pupil = SharedSuite.newPupil(suite, "m2report"); // 15 years old
        String counsellor = userToken("bart.counsellor");
        String file = given().baseUri(caseService()).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"%s\", \"reason\": \"Worried about home\"}".formatted(pupil))
                .when().post("/case-files").then().statusCode(201).extract().path("id");
        given().baseUri(caseService()).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("{\"givenAt\": \"2026-11-20T09:30:00Z\", \"how\": \"SPOKEN\"}")
                .when().post("/case-files/" + file + "/confidentiality-notices").then().statusCode(201);
        given().baseUri(caseService()).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("{\"kind\": \"CONVERSATION\", \"visibility\": \"CARE_TEAM\", \"text\": \"Talked about home\"}")
                .when().post("/case-files/" + file + "/notes").then().statusCode(201);
        String referralService = suite.serviceUrl("referral-service");
        String referral = given().baseUri(referralService).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"%s\", \"recipientId\": \"clb-gent\"}".formatted(pupil))
                .when().post("/referrals").then().statusCode(201).extract().path("id");
        given().baseUri(referralService).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("""
                        {"items": [{"type": "QUESTION", "purpose": "what we ask", "text": "Can the CLB see this pupil?"}]}""")
                .when().put("/referrals/" + referral + "/items").then().statusCode(200);
        given().baseUri(referralService).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("""
                        {"consulted": [{"party": "PUPIL", "when": "2026-11-24T10:00:00Z", "how": "talk", "answer": "AGREED"}],
                         "parentsNotInformed": true, "parentsNotInformedDecidedBy": "bart.counsellor, with the pupil"}""")
                .when().post("/referrals/" + referral + "/consent").then().statusCode(200);
        given().baseUri(referralService).auth().oauth2(counsellor).when().post("/referrals/" + referral + "/send")
                .then().statusCode(200);

        String dpo = userToken("frank.dpo");
        String auditService = suite.serviceUrl("audit-service");
        // The DPO's own report: every record, once audit-service has stored the send.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> given()
                .baseUri(auditService).auth().oauth2(dpo).when().get("/audit-records/pupils/" + pupil + "/report")
                .then().statusCode(200).extract().<List<String>>path("accesses.action").contains("referral.send"));
        List<String> pupils = given().baseUri(auditService).auth().oauth2(dpo).queryParam("addressee", "PUPIL")
                .when().get("/audit-records/pupils/" + pupil + "/report")
                .then().statusCode(200).body("leftOut", org.hamcrest.Matchers.empty())
                .extract().path("accesses.action");
        assertTrue(pupils.containsAll(List.of("referral.send", "note.write", "case-file.open")), pupils.toString());

        io.restassured.response.ValidatableResponse parents = given().baseUri(auditService).auth().oauth2(dpo)
                .queryParam("addressee", "PARENTS").when().get("/audit-records/pupils/" + pupil + "/report")
                .then().statusCode(200).body("addressee", equalTo("PARENTS"));
        List<String> actions = parents.extract().path("accesses.action");
        assertTrue(actions.contains("case-file.open"), "the case file is the parents' to know: " + actions);
        assertFalse(actions.stream().anyMatch(a -> a.startsWith("referral.")), "a record of the kept referral: " + actions);
        assertFalse(actions.contains("note.write"), "a record of the pupil's conversation: " + actions);
        List<String> grounds = parents.extract().path("leftOut.ground");
        assertTrue(grounds.containsAll(List.of("pupil-conversation-notes", "referrals-kept-from-parents")), grounds.toString());
        String body = parents.extract().asString();
        assertFalse(body.contains(referral), "the parents' report names the kept referral");
        given().baseUri(auditService).auth().oauth2(dpo).queryParam("addressee", "PARENTS").accept("text/html")
                .when().get("/audit-records/pupils/" + pupil + "/report")
                .then().statusCode(200).body(containsString("Wat dit verslag voor de ouders weglaat"))
                .body(containsString("een doorverwijzing waarvan de leerling vroeg de ouders niet te informeren"));
        // Only the school's DPO learns what is kept (ids and grounds, never content).
        given().baseUri(caseService()).auth().oauth2(counsellor).when().get("/pupils/" + pupil + "/kept-from-parents")
                .then().statusCode(403).contentType(containsString("application/problem+json"));
        given().baseUri(referralService).auth().oauth2(counsellor).when().get("/pupils/" + pupil + "/kept-from-parents")
                .then().statusCode(403).contentType(containsString("application/problem+json"));
    }

    /** The "aud" claim of a token (a string or an array), read without verifying it. */
    private static List<String> audience(String token) {
        String claims = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]),
                java.nio.charset.StandardCharsets.UTF_8);
        io.restassured.path.json.JsonPath json = io.restassured.path.json.JsonPath.from(claims);
        Object aud = json.get("aud");
        return aud instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of(String.valueOf(aud));
    }

    @Test
    void n2_theRealmsTokensCarryTheSuitesAudience() {
        assertTrue(audience(userToken("bart.counsellor")).contains("need-to-know"), "a user's token (ntk-cli)");
        for (String client : List.of("school-sint-jan-system", "clb-gent-system", "care-jongerenhulp-system")) {
            String token = Tokens.clientCredentials(suite.keycloak().tokenEndpoint(), client, Tokens.devSecret(client));
            assertTrue(audience(token).contains("need-to-know"), client);
        }
    }

    @Test
    void n2_aTokenOfTheRealmForAnotherAudienceIs401() {
        String admin = Tokens.fetch(suite.keycloak().url() + "/realms/master/protocol/openid-connect/token",
                Map.of("grant_type", "password", "client_id", "admin-cli", "username", Suite.DEV_KEYCLOAK_ADMIN[0],
                        "password", Suite.DEV_KEYCLOAK_ADMIN[1]));
        // Another application of the same realm: genuine, well signed, the right issuer, not for the suite.
        given().baseUri(suite.keycloak().url()).auth().oauth2(admin).contentType(ContentType.JSON)
                .body("""
                        {"clientId": "e2e-other-application", "secret": "e2e-only-secret", "publicClient": false,
                         "serviceAccountsEnabled": true, "standardFlowEnabled": false}""")
                .when().post("/admin/realms/need-to-know/clients")
                .then().statusCode(201);
        String other = Tokens.clientCredentials(suite.keycloak().tokenEndpoint(), "e2e-other-application", "e2e-only-secret");
        assertFalse(audience(other).contains("need-to-know"), "the other application's token is for the suite");
        given().baseUri(caseService()).auth().oauth2(other).when().get("/case-files")
                .then().statusCode(401).contentType(containsString("application/problem+json"));
    }

    @Test
    void clientCredentialsTokensAreAccepted() {
        String platform = Tokens.clientCredentials(suite.keycloak().tokenEndpoint(), "school-de-linde-system",
                Tokens.devSecret("school-de-linde-system"));
        given().baseUri(caseService()).auth().oauth2(platform).contentType(ContentType.JSON)
                // Fien as deploy/demo has her, with her mother's address: the same row again changes nothing.
                .body("{\"pupils\": [{\"pupilId\": \"dl-0001\", \"givenName\": \"Fien\", \"familyName\": \"Martens\","
                        + " \"birthDate\": \"2016-11-05\", \"classGroup\": \"L4\","
                        + " \"parents\": [{\"name\": \"Katrien Martens\", \"email\": \"katrien.martens@example.org\"}]}]}")
                .when().put("/pupils")
                .then().statusCode(200).body("unchanged", equalTo(1));
    }

    @Test
    void aTamperedSignatureIs401() {
        String token = userToken("carla.coordinator");
        given().baseUri(caseService()).auth().oauth2(token).when().get("/case-files").then().statusCode(200);
        String[] parts = token.split("\\.");
        char last = parts[2].charAt(10);
        String tampered = parts[0] + "." + parts[1] + "." + parts[2].substring(0, 10) + (last == 'A' ? 'B' : 'A')
                + parts[2].substring(11);
        given().baseUri(caseService()).auth().oauth2(tampered).when().get("/case-files")
                .then().statusCode(401).contentType(containsString("application/problem+json"));
    }

    @Test
    void aTokenOfAnotherIssuerIs401() {
        // A genuine token of the same Keycloak, but of its master realm: another issuer and key.
        String master = Tokens.fetch(suite.keycloak().url() + "/realms/master/protocol/openid-connect/token",
                Map.of("grant_type", "password", "client_id", "admin-cli", "username", Suite.DEV_KEYCLOAK_ADMIN[0],
                        "password", Suite.DEV_KEYCLOAK_ADMIN[1]));
        given().baseUri(caseService()).auth().oauth2(master).when().get("/case-files").then().statusCode(401);
    }

    @Test
    void anExpiredTokenIs401() {
        String admin = Tokens.fetch(suite.keycloak().url() + "/realms/master/protocol/openid-connect/token",
                Map.of("grant_type", "password", "client_id", "admin-cli", "username", Suite.DEV_KEYCLOAK_ADMIN[0],
                        "password", Suite.DEV_KEYCLOAK_ADMIN[1]));
        // A client of the realm for the suite whose tokens live 2 seconds.
        given().baseUri(suite.keycloak().url()).auth().oauth2(admin).contentType(ContentType.JSON)
                .body("""
                        {"clientId": "e2e-short-lived", "secret": "e2e-only-secret", "publicClient": false,
                         "serviceAccountsEnabled": true, "standardFlowEnabled": false,
                         "attributes": {"access.token.lifespan": "2"},
                         "protocolMappers": [{"name": "need-to-know audience", "protocol": "openid-connect",
                                              "protocolMapper": "oidc-audience-mapper",
                                              "config": {"included.custom.audience": "need-to-know",
                                                         "access.token.claim": "true"}}]}""")
                .when().post("/admin/realms/need-to-know/clients")
                .then().statusCode(201);
        String shortLived = Tokens.clientCredentials(suite.keycloak().tokenEndpoint(), "e2e-short-lived", "e2e-only-secret");
        // While valid it authenticates (and is then refused for lacking an organisation claim) ...
        given().baseUri(caseService()).auth().oauth2(shortLived).when().get("/case-files")
                .then().statusCode(403).body("type", equalTo("urn:need-to-know:problem:missing-organisation"));
        // ... and once expired it no longer authenticates.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> given().baseUri(caseService()).auth().oauth2(shortLived).when().get("/case-files")
                        .then().extract().statusCode() == 401);
    }

    @Test
    void everyServiceIsReadyAndServesItsOpenApiAndMetrics() {
        for (String service : List.of("case-service", "referral-service", "audit-service")) {
            String url = suite.serviceUrl(service);
            given().baseUri(url).when().get("/q/health/ready").then().statusCode(200)
                    .body("status", equalTo("UP"))
                    .body("checks.name", org.hamcrest.Matchers.hasItem(containsString("Database")))
                    .body("checks.name", org.hamcrest.Matchers.hasItem(containsString("Reactive Messaging")));
            given().baseUri(url).when().get("/q/openapi").then().statusCode(200).body(containsString("openapi"));
            given().baseUri(url).when().get("/q/swagger-ui/").then().statusCode(200);
            given().baseUri(url).when().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
        }
    }
}
