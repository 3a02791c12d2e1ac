package be.needtoknow.referrals.matrix;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import be.needtoknow.common.referral.AccessGrant;
import be.needtoknow.testing.AuthorizationMatrix;
import be.needtoknow.testing.AuthorizationMatrix.Relation;
import be.needtoknow.testing.MatrixDatabase;
import be.needtoknow.referrals.casefile.CaseServiceStandIn;
import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.TestTokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The authorization matrix of referral-service: its rows of the suite's one table,
 * {@code docs/authorization-matrix.md} (endpoint × caller, with the caller's role and relation →
 * expected status; the callers are described there), each row on a fresh referral to CLB Gent, or
 * for the transfer rows a transfer to school-de-linde, brought to the state its endpoint needs; the
 * anonymous caller on every endpoint not public by design. What each call must show (status, the
 * token and relation of its caller, its GRANTED or REFUSED record (A1), an unchanged database after
 * a refused write) is checked by {@link AuthorizationMatrix#assertEveryCellHolds}; the Relation
 * clauses of referral-service (owner, addressee: C1, N2) are checked here against the referral's row.
 */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = CaseServiceStandIn.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ReferralMatrixTest {

    static final String ITEMS = """
            {"items": [{"type": "QUESTION", "purpose": "what we ask", "text": "Can you help?"},
                       {"type": "CONTACT", "purpose": "to reach us", "name": "Bart Claes"}]}""";
    static final String CONSENT = """
            {"consulted": [{"party": "PUPIL", "when": "2026-11-20T10:00:00Z", "how": "talk", "answer": "AGREED"}],
             "parentsNotInformed": false}""";

    static final Map<String, String> BODIES = Map.of(
            "POST /referrals", "{\"pupilId\": \"sj-1001\", \"recipientId\": \"clb-gent\"}",
            "PUT /referrals/{id}/items", ITEMS,
            "POST /referrals/{id}/consent", CONSENT,
            "POST /referrals/{id}/urgent-danger", "{\"justification\": \"Injuries and fear of going home tonight.\"}",
            "POST /referrals/{id}/decline", "{\"reason\": \"Not ours to help with\"}",
            "POST /referrals/{id}/feedback", "{\"text\": \"We see her weekly.\", \"releasedForSchool\": true}",
            "POST /transfer-notices/{link}/objection", "{\"reason\": \"Not what we agreed.\"}",
            "POST /referral-notices/{link}/withdrawal", "{\"reason\": \"We changed our mind.\"}",
            "POST /pupil-records", "{\"grant\": \"{grant}\"}");

    static final String DISCUSSED = """
            {"consulted": [{"party": "PUPIL", "when": "2026-11-20T10:00:00Z", "how": "talk", "answer": "AGREED"},
                           {"party": "PARENTS", "when": "2026-11-20T10:00:00Z", "how": "talk", "answer": "AGREED"}],
             "parentsNotInformed": false}""";

    static final String SINT_JAN = "school-sint-jan";
    static final String DE_LINDE = "school-de-linde";

    /** Each caller of the table's rows and its token (null: no token). */
    static final Map<String, Supplier<String>> CALLERS = Map.ofEntries(
            Map.entry("owner", () -> TestTokens.of("bart.counsellor", SINT_JAN, "school", "pupil-counsellor")),
            Map.entry("colleague", () -> TestTokens.of("bert.counsellor", SINT_JAN, "school", "pupil-counsellor")),
            Map.entry("coordinator", () -> TestTokens.of("carla.coordinator", SINT_JAN, "school", "care-coordinator")),
            Map.entry("teacher", () -> TestTokens.of("an.teacher", SINT_JAN, "school", "teacher")),
            Map.entry("principal", () -> TestTokens.of("dirk.principal", SINT_JAN, "school", "principal")),
            Map.entry("dpo", () -> TestTokens.of("frank.dpo", SINT_JAN, "school", "dpo")),
            Map.entry("other-school", () -> TestTokens.of("hans.counsellor", DE_LINDE, "school", "pupil-counsellor")),
            Map.entry("clb", () -> TestTokens.of("service-account-clb-gent-system", "clb-gent", "clb",
                    "recipient-system")),
            Map.entry("clb-worker", () -> TestTokens.of("mia.clb", "clb-gent", "clb", "clb-worker")),
            Map.entry("other-clb", () -> TestTokens.of("service-account-clb-brugge-system", "clb-brugge", "clb",
                    "recipient-system")),
            Map.entry("care", () -> TestTokens.of("service-account-care-jongerenhulp-system", "care-jongerenhulp",
                    "care", "recipient-system")),
            Map.entry("new-school", () -> TestTokens.of("ilse.coordinator", DE_LINDE, "school", "care-coordinator")),
            Map.entry("new-school-teacher", () -> TestTokens.of("greet.teacher", DE_LINDE, "school", "teacher")),
            Map.entry("new-school-system", () -> TestTokens.of("service-account-school-de-linde-system", DE_LINDE,
                    "school", "school-system")),
            Map.entry("operator", () -> TestTokens.of("olga.operator", SINT_JAN, "school", "operator")),
            Map.entry("anonymous", () -> null),
            Map.entry("parents", () -> null),
            Map.entry("pupil", () -> null),
            Map.entry("stranger", () -> null),
            Map.entry("access-grant", () -> null),
            Map.entry("forged-grant", () -> null));

    static String token(String caller) {
        return CALLERS.get(caller).get();
    }

    static AuthorizationMatrix matrix() {
        return AuthorizationMatrix.load(AuthorizationMatrix.DOCUMENT, "referral-service", CALLERS.keySet());
    }

    private static void post(String caller, String path, String body) {
        String token = token(caller);
        var request = token == null ? given() : given().auth().oauth2(token);
        if (body != null) {
            request = request.contentType(ContentType.JSON).body(body);
        }
        request.when().post(path).then().statusCode(org.hamcrest.Matchers.lessThan(300));
    }

    /**
     * A referral of bart.counsellor to CLB Gent, or for the transfer rows a transfer to
     * school-de-linde, brought to the state the row's endpoint needs.
     */
    static Map<String, String> world(AuthorizationMatrix.Row row) {
        String endpoint = row.endpoint();
        boolean resend = endpoint.endsWith("/notices/resend");
        boolean transfer = row.caller().startsWith("new-school") || endpoint.contains("/transfer-notices/") || resend;
        String create = transfer ? BODIES.get("POST /referrals").replace("clb-gent", "school-de-linde")
                : BODIES.get("POST /referrals");
        String id = given().auth().oauth2(token("owner")).contentType(ContentType.JSON).body(create)
                .when().post("/referrals").then().statusCode(201).extract().path("id");
        given().auth().oauth2(token("owner")).contentType(ContentType.JSON).body(ITEMS)
                .when().put("/referrals/" + id + "/items").then().statusCode(200);
        if (transfer) {
            given().auth().oauth2(token("owner")).contentType(ContentType.JSON)
                    .body(DISCUSSED).when().post("/referrals/" + id + "/consent").then().statusCode(200);
            // X: the family's links, as case-service (its stand-in) delivered them; never in the answer.
            java.util.List<String> links = CaseServiceStandIn.links(id);
            if (resend) {
                return Map.of("{id}", id); // the notices open, not yet answered
            }
            if (endpoint.contains("/transfer-notices/")) {
                String link = links.get(0).substring("/transfer-notices/".length());
                return Map.of("{id}", id, "{issuedLink}", link, "{link}", row.caller().equals("stranger")
                        ? link.substring(0, link.length() - 4) + (link.endsWith("AAAA") ? "BBBB" : "AAAA") : link);
            }
            links.forEach(link -> post("anonymous", link + "/agreement", null));
            post("owner", "/referrals/" + id + "/send", null);
            if (endpoint.endsWith("/acceptance")) {
                post("new-school", "/referrals/" + id + "/receipt", null);
            }
            return Map.of("{id}", id);
        }
        if (endpoint.contains("/referral-notices/")) {
            // T3, M1: sent with the consent of the pupil of 13, who did not keep the parents out: the
            // pupil's notice withdraws, the parents' informs; each link as case-service delivered it.
            post("owner", "/referrals/" + id + "/consent", CONSENT);
            post("owner", "/referrals/" + id + "/send", null);
            String path = CaseServiceStandIn.delivered(id, row.caller().equals("parents") ? CaseServiceStandIn.PARENTS
                    : CaseServiceStandIn.PUPIL);
            String link = path.substring("/referral-notices/".length());
            return Map.of("{id}", id, "{issuedLink}", link, "{link}", row.caller().equals("stranger")
                    ? link.substring(0, link.length() - 4) + (link.endsWith("AAAA") ? "BBBB" : "AAAA") : link);
        }
        if (endpoint.endsWith("/kept-from-parents")) {
            // M1: a referral the pupil of 13 kept from the parents, sent.
            post("owner", "/referrals/" + id + "/consent", CONSENT.replace("\"parentsNotInformed\": false",
                    "\"parentsNotInformed\": true, \"parentsNotInformedDecidedBy\": \"bart.counsellor\""));
            post("owner", "/referrals/" + id + "/send", null);
            return Map.of("{id}", id, "{pupilId}", "sj-1001");
        }
        if (endpoint.endsWith("/pupil-records")) {
            // T4: a sent referral of the pupil, and case-service's access grant for the parents' request
            // about that pupil, or one signed with another key.
            post("owner", "/referrals/" + id + "/consent", CONSENT);
            post("owner", "/referrals/" + id + "/send", null);
            String key = row.caller().equals("forged-grant") ? "another-key" : grantKey();
            return Map.of("{id}", id, "{grant}", AccessGrant.of(java.util.UUID.randomUUID(), SINT_JAN, "sj-1001",
                    AccessGrant.Requester.PARENTS, true, java.time.Instant.now()).sign(key));
        }
        boolean ready = endpoint.endsWith("/send") || endpoint.endsWith("/withdraw") || endpoint.endsWith("/receipt")
                || endpoint.endsWith("/acceptance") || endpoint.endsWith("/decline") || endpoint.endsWith("/feedback")
                || endpoint.endsWith("/close") || endpoint.equals("GET /referrals/{id}");
        if (ready) {
            post("owner", "/referrals/" + id + "/consent", CONSENT);
        }
        if (ready && !endpoint.endsWith("/send")) {
            post("owner", "/referrals/" + id + "/send", null);
        }
        if (endpoint.endsWith("/feedback") || endpoint.endsWith("/close")) {
            post("clb", "/referrals/" + id + "/receipt", null);
        }
        if (endpoint.endsWith("/close")) {
            post("clb", "/referrals/" + id + "/acceptance", null);
        }
        Map<String, String> world = new java.util.HashMap<>(Map.of("{id}", id));
        if (row.path().contains("{position}")) {
            try (MatrixDatabase db = MatrixDatabase.fromConfig()) {
                world.put("{position}", Long.toString(db.parkPoisonEvent("referral-service")));
            }
        }
        return world;
    }

    /** The key case-service signs its access grants with (T4), as this service is configured. */
    static String grantKey() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("ntk.referral-grant.key", String.class);
    }

    static boolean verifies(Map<String, String> world) {
        return AccessGrant.verify(world.get("{grant}"), grantKey(), java.time.Instant.now()).isPresent();
    }

    @Test
    void everyEndpointHasRows() {
        matrix().assertCoversEveryEndpoint();
    }

    static boolean referral(MatrixDatabase db, Map<String, String> world, String condition, Object... parameters) {
        Object[] all = new Object[parameters.length + 1];
        all[0] = world.get("{id}");
        System.arraycopy(parameters, 0, all, 1, parameters.length);
        return db.exists("select 1 from referral where id = ?::uuid and " + condition, all);
    }

    /** The Relation clauses of referral-service's callers, checked against the row's referral. */
    static final Map<String, Relation> RELATIONS = Map.ofEntries(
            Map.entry("prepared the referral (its owner)",
                    (c, w, db) -> referral(db, w, "owner_username = ? and school_id = ?", c.username(), c.organisationId())),
            Map.entry("not the referral's owner", (c, w, db) -> referral(db, w, "owner_username <> ?", c.username())),
            Map.entry("the addressee",
                    (c, w, db) -> referral(db, w, "kind = 'REFERRAL' and recipient_id = ?", c.organisationId())),
            Map.entry("works for the addressee", (c, w, db) -> !c.isSystem()
                    && referral(db, w, "kind = 'REFERRAL' and recipient_id = ?", c.organisationId())),
            Map.entry("not the addressee", (c, w, db) -> referral(db, w, "recipient_id <> ?", c.organisationId())),
            Map.entry("the addressee of the transfer",
                    (c, w, db) -> referral(db, w, "kind = 'TRANSFER' and recipient_id = ?", c.organisationId())),
            Map.entry("the addressee of the transfer (its system)", (c, w, db) -> c.isSystem()
                    && referral(db, w, "kind = 'TRANSFER' and recipient_id = ?", c.organisationId())),
            Map.entry("teaches at the addressee of the transfer", (c, w, db) -> !c.isSystem()
                    && referral(db, w, "kind = 'TRANSFER' and recipient_id = ?", c.organisationId())),
            Map.entry("the pupil's parents (the link and its secret)", (c, w, db) -> c == null
                    && w.get("{link}").equals(w.get("{issuedLink}"))
                    && db.exists("select 1 from transfer_notice where referral_id = ?::uuid and party = 'PARENTS' "
                            + "union all select 1 from referral_notice where referral_id = ?::uuid and party = 'PARENTS'",
                            w.get("{id}"), w.get("{id}"))),
            Map.entry("the pupil (the link and its secret)", (c, w, db) -> c == null
                    && w.get("{link}").equals(w.get("{issuedLink}"))
                    && db.exists("select 1 from referral_notice where referral_id = ?::uuid and party = 'PUPIL'",
                            w.get("{id}"))),
            Map.entry("not the parents (a wrong secret)", (c, w, db) -> c == null && w.get("{issuedLink}") != null
                    && !w.get("{link}").equals(w.get("{issuedLink}"))),
            Map.entry("case-service's access grant for the pupil (signed with the shared key)",
                    (c, w, db) -> c == null && w.get("{grant}") != null && verifies(w)),
            Map.entry("not case-service's access grant (a forged grant)",
                    (c, w, db) -> c == null && w.get("{grant}") != null && !verifies(w)),
            Map.entry("no relation to the referral", (c, w, db) -> referral(db, w,
                    "owner_username <> ? and recipient_id <> ?", c.username(), c.organisationId())));

    @Test
    void theEndpointsOpenToAnyoneAreExactlyThosePublicByDesign() {
        matrix().assertOpenEndpointsAreListed();
    }

    @Test
    void everyCellHoldsAndEveryCallIsAudited() {
        matrix().assertEveryCellHolds(new AuthorizationMatrix.Setup() {
            @Override
            public String token(String caller) {
                return ReferralMatrixTest.token(caller);
            }

            @Override
            public Map<String, String> world(AuthorizationMatrix.Row row) {
                return ReferralMatrixTest.world(row);
            }

            @Override
            public String worldKey(AuthorizationMatrix.Row row) {
                // world(row) reads the caller for a transfer (new-school), a family's link (whose, or a
                // stranger's wrong one) and an access grant (forged or not).
                String endpoint = row.endpoint();
                boolean callers = row.caller().startsWith("new-school") || endpoint.contains("-notices/")
                        || endpoint.endsWith("/notices/resend") || endpoint.endsWith("/pupil-records");
                return endpoint + (callers ? " as " + row.caller() : "");
            }

            @Override
            public Map<String, String> bodies() {
                return BODIES;
            }

            @Override
            public String organisation() {
                return SINT_JAN;
            }

            @Override
            public Map<String, Relation> relations() {
                return RELATIONS;
            }
        });
    }

}
