package be.needtoknow.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import be.needtoknow.testing.MarkdownTables.Line;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * The suite's authorization matrix, as one table in {@code docs/authorization-matrix.md}: for each
 * service, endpoint × caller (with the caller's role and relation) → expected status. A service's
 * matrix test {@link #load}s its rows from that file; {@link #assertCoversEveryEndpoint} fails when
 * the service's OpenAPI document has an endpoint without rows; {@link #assertOpenEndpointsAreListed}
 * when the endpoints that answer without a sign-in are not exactly those the file lists as public
 * by design; {@link #assertEveryCellHolds} runs each row against a fresh world (or one that only
 * refusals have met, which left it as it was: Setup.worldKey), and the anonymous
 * caller on every endpoint of the OpenAPI document that is not public by design, and checks for
 * each call:
 * <ul>
 * <li>the status;</li>
 * <li>the caller: the token sent carries exactly the Role cell's role, the Who cell's user and
 * organisation; each clause of the Relation cell holds in the row's world (A3, N3);</li>
 * <li>the trail (A1): a refusal left a REFUSED record of that very request (its correlation id)
 * naming the caller (or, for a 401, {@code anonymous} and the endpoint); a grant left at least one
 * GRANTED record of that request naming the caller, unless its endpoint is listed as touching no
 * pupil data;</li>
 * <li>a refused write (POST, PUT, PATCH, DELETE answered 401, 403, 404 or 409) changed no table of
 * the service's database ({@link MatrixDatabase#snapshot}).</li>
 * </ul>
 *
 * <p>The file's shape, which {@link #load} enforces so that what a reader sees is what the tests
 * run: under a heading naming a service ({@code ### case-service}), a table
 * {@code | Caller | Who | Role | Relation |} lists that service's callers; one table
 * {@code | Service | Method | Path | Caller | Role | Relation | Expected |} holds the rows of all
 * services, each row's Role and Relation those of its caller's entry; one table
 * {@code | Service | Method | Path | Why anyone may call it |} lists the endpoints public by design;
 * one table {@code | Service | Method | Path | Why a grant leaves no record |} the endpoints that
 * touch no pupil data and are not audited when granted. Any other table is prose.
 */
public final class AuthorizationMatrix {

    /** The suite's one table, as the tests find it: their working directory is their module's. */
    public static final Path DOCUMENT = Path.of("..", "docs", "authorization-matrix.md");

    /** The caller with no token at all: generated on every endpoint, never written as a row. */
    public static final String ANONYMOUS = "anonymous";
    /** A Role cell's "no token": the caller holds a link, or nothing. */
    public static final String NO_TOKEN = "—";

    private static final List<String> CALLERS_HEADER = List.of("Caller", "Who", "Role", "Relation");
    private static final List<String> MATRIX_HEADER = List.of("Service", "Method", "Path", "Caller", "Role", "Relation",
            "Expected");
    private static final List<String> PUBLIC_HEADER = List.of("Service", "Method", "Path", "Why anyone may call it");
    private static final List<String> UNAUDITED_HEADER = List.of("Service", "Method", "Path",
            "Why a grant leaves no record");
    private static final Set<String> METHODS = Set.of("GET", "PUT", "POST", "DELETE", "PATCH");
    private static final Set<String> WRITES = Set.of("PUT", "POST", "DELETE", "PATCH");
    private static final Set<Integer> REFUSALS = Set.of(401, 403, 404, 409);
    private static final Pattern SERVICE = Pattern.compile("[a-z][a-z0-9-]*");
    private static final Pattern STATUS = Pattern.compile("[1-5][0-9][0-9]");
    private static final Pattern USERNAME = Pattern.compile("[a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{[A-Za-z]+}");
    /** A name given to an organisation id in the file's prose: CLB Gent (`clb-gent`). */
    private static final Pattern ORGANISATION_NAME = Pattern.compile("((?:[A-Z][\\w-]* )*[A-Z][\\w-]*) \\(`([a-z0-9-]+)`\\)");
    /** Quarkus's own routes (health, OpenAPI, metrics): no JAX-RS resource, not in the OpenAPI document. */
    private static final String QUARKUS_ROUTES = "/q/";
    private static final Pattern CORRELATION = Pattern.compile("\"correlationId\"\\s*:\\s*\"([^\"]+)\"");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One cell: this caller on this endpoint gets this status. The path may carry a query (?name={value}). */
    public record Row(String method, String path, String caller, int status) {
        /** The endpoint as OpenAPI names it: the method and the path without its query. */
        public String endpoint() {
            int query = path.indexOf('?');
            return method + " " + (query < 0 ? path : path.substring(0, query));
        }
    }

    /** A caller's entry in a service's list of callers. */
    private record CallerEntry(String who, String role, String relation, int line) {
    }

    /** What a token says of its bearer: the claims the services read. */
    public record Claims(String username, List<String> roles, String organisationId, String organisationType) {

        /** The claims of a token, read without verifying it (the service verifies it). */
        public static Claims of(String token) {
            String[] parts = token.split("\\.");
            JsonPath claims = JsonPath.from(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            List<String> roles = claims.getList("realm_access.roles", String.class);
            return new Claims(claims.getString("preferred_username"), roles == null ? List.of() : roles,
                    claims.getString("organisation.id"), claims.getString("organisation.type"));
        }

        /** A service account, as Keycloak names them: a system, not a person. */
        public boolean isSystem() {
            return username != null && username.startsWith("service-account-");
        }
    }

    /**
     * A clause of a Relation cell ("on the care team", "the addressee"), checked against a row's
     * world: the claims of the token sent (null: no token), the world's placeholders, its database.
     */
    @FunctionalInterface
    public interface Relation {
        boolean holds(Claims caller, Map<String, String> world, MatrixDatabase database);
    }

    /** What a service's matrix test gives the runner. */
    public interface Setup {
        /** A caller's token, freshly signed (null: no token). */
        String token(String caller);

        /** Builds a fresh world for a row: placeholder ({@code {id}}, ...) → value. */
        Map<String, String> world(Row row);

        /**
         * Rows with the same key are served by the same world as long as every call on it was refused
         * and changed nothing (a refused write is checked to have changed no table; a refused read
         * changes none): the endpoint, and what of the caller {@link #world} reads. Null (the
         * default): a fresh world for each row.
         */
        default String worldKey(Row row) {
            return null;
        }

        /** The request body of each endpoint that takes one, with placeholders. */
        Map<String, String> bodies();

        /** The organisation the world is of: "own school" or "own organisation" in a Relation cell. */
        String organisation();

        /** The checks of the service's own Relation clauses; a clause without a check fails the test. */
        Map<String, Relation> relations();
    }

    private final String service;
    private final String source;
    private final List<Row> rows;
    private final Map<String, CallerEntry> callers;
    private final Map<String, String> publicEndpoints;
    private final Set<String> unaudited;
    private final Map<String, String> organisationNames;
    /** Time spent in the callers' checks and the snapshots, for the closing line. */
    private long checks;

    private AuthorizationMatrix(String service, String source, List<Row> rows, Map<String, CallerEntry> callers,
            Map<String, String> publicEndpoints, Set<String> unaudited, Map<String, String> organisationNames) {
        this.service = service;
        this.source = source;
        this.rows = rows;
        this.callers = callers;
        this.publicEndpoints = publicEndpoints;
        this.unaudited = unaudited;
        this.organisationNames = organisationNames;
    }

    /**
     * The rows of one service, from the suite's table. Fails, naming the line, on anything that
     * would make the file say something other than what the tests run: a malformed row, an unknown
     * service or method, the same caller twice on an endpoint, a caller without an entry in its
     * service's list of callers or whose Role and Relation cells differ from that entry, a caller
     * of this service the test has no token for, an entry of this service that no row uses, a
     * written row of the anonymous caller (it is generated), a list of callers without the
     * anonymous caller, a malformed or repeated entry of the public or not-audited lists.
     *
     * @param file    the Markdown file ({@link #DOCUMENT})
     * @param service the service whose rows to run, as the table's Service column names it
     * @param callers the caller keys the test has tokens for
     */
    public static AuthorizationMatrix load(Path file, String service, Set<String> callers) {
        MarkdownTables document = MarkdownTables.read(file, "authorization matrix");
        Map<String, Map<String, CallerEntry>> legends = new LinkedHashMap<>();
        List<Line> matrix = null;
        List<Line> publicLines = new ArrayList<>();
        List<Line> unauditedLines = new ArrayList<>();
        for (MarkdownTables.Table table : document.tables()) {
            List<String> header = table.header().cells();
            String heading = table.heading();
            if (header.equals(CALLERS_HEADER)) {
                if (heading == null || !SERVICE.matcher(heading).matches() || legends.containsKey(heading)) {
                    throw document.atLine(table.header().number(), "a list of callers must sit under a heading that "
                            + "names its service, once (### case-service), not '" + heading + "'");
                }
                legends.put(heading, callersOf(document, table.rows()));
            } else if (header.equals(MATRIX_HEADER)) {
                if (matrix != null) {
                    throw document.atLine(table.header().number(), "a second matrix table: the matrix is one table");
                }
                matrix = table.rows();
            } else if (header.equals(PUBLIC_HEADER)) {
                publicLines.addAll(table.rows());
            } else if (header.equals(UNAUDITED_HEADER)) {
                unauditedLines.addAll(table.rows());
            }
        }
        if (matrix == null) {
            throw document.whole("no matrix table (its header: | " + String.join(" | ", MATRIX_HEADER) + " |)");
        }
        if (!legends.containsKey(service)) {
            throw document.whole("unknown service '" + service + "'; its services: " + legends.keySet());
        }
        List<Row> rows = new ArrayList<>();
        Set<String> cells = new HashSet<>();
        Set<String> used = new HashSet<>();
        for (Line line : matrix) {
            Row row = rowOf(document, line, legends);
            if (!cells.add(line.cells().get(0) + " " + row.method() + " " + row.path() + " " + row.caller())) {
                throw document.atLine(line.number(), "a second row for this caller on this endpoint");
            }
            if (row.caller().equals(ANONYMOUS)) {
                throw document.atLine(line.number(), "the anonymous caller is not written as rows: the tests call "
                        + "every endpoint without a token (401, audited), except those public by design");
            }
            if (line.cells().get(0).equals(service)) {
                if (!callers.contains(row.caller())) {
                    throw document.atLine(line.number(), "the test of " + service + " has no token for caller '"
                            + row.caller() + "'; its callers: " + new TreeSet<>(callers));
                }
                used.add(row.caller());
                rows.add(row);
            }
        }
        if (rows.isEmpty()) {
            throw document.whole("no rows for " + service);
        }
        Map<String, CallerEntry> legend = legends.get(service);
        CallerEntry anonymous = legend.get(ANONYMOUS);
        if (anonymous == null || !anonymous.role().equals(NO_TOKEN) || !callers.contains(ANONYMOUS)) {
            throw document.whole("the callers of " + service + " (and its test) have the caller '" + ANONYMOUS
                    + "', with no token (Role " + NO_TOKEN + "): the tests call every endpoint as that caller");
        }
        used.add(ANONYMOUS);
        legend.forEach((caller, entry) -> {
            if (!used.contains(caller)) {
                throw document.atLine(entry.line(), "caller '" + caller + "' of " + service + " is in no row");
            }
        });
        Map<String, String> publicEndpoints = endpointsOf(document, publicLines, legends, service);
        Set<String> unaudited = endpointsOf(document, unauditedLines, legends, service).keySet();
        return new AuthorizationMatrix(service, service + "'s rows in " + file, rows, legend, publicEndpoints,
                unaudited, organisationNames(file));
    }

    private static Map<String, CallerEntry> callersOf(MarkdownTables document, List<Line> body) {
        Map<String, CallerEntry> callers = new LinkedHashMap<>();
        for (Line line : body) {
            List<String> c = line.cells();
            if (c.size() != CALLERS_HEADER.size() || c.stream().anyMatch(String::isEmpty)) {
                throw document.atLine(line.number(), "a caller's entry has four filled cells: "
                        + String.join(" | ", CALLERS_HEADER));
            }
            if (callers.put(c.get(0), new CallerEntry(c.get(1), c.get(2), c.get(3), line.number())) != null) {
                throw document.atLine(line.number(), "a second entry for caller '" + c.get(0) + "'");
            }
        }
        return callers;
    }

    /** The endpoints of one service in a list (public by design, not audited): endpoint → why. */
    private static Map<String, String> endpointsOf(MarkdownTables document, List<Line> lines,
            Map<String, Map<String, CallerEntry>> legends, String service) {
        Map<String, String> endpoints = new LinkedHashMap<>();
        for (Line line : lines) {
            List<String> c = line.cells();
            if (c.size() != 4 || c.stream().anyMatch(String::isEmpty)) {
                throw document.atLine(line.number(), "an endpoint of a list has four filled cells: Service | Method | "
                        + "Path | why");
            }
            if (!legends.containsKey(c.get(0))) {
                throw document.atLine(line.number(), "unknown service '" + c.get(0) + "'; the services: "
                        + legends.keySet());
            }
            if (!METHODS.contains(c.get(1)) || !c.get(2).startsWith("/") || c.get(2).contains("?")
                    || c.get(2).chars().anyMatch(Character::isWhitespace)) {
                throw document.atLine(line.number(), "an endpoint is a method of " + METHODS
                        + " and a path without query or spaces");
            }
            if (c.get(0).equals(service) && endpoints.put(c.get(1) + " " + c.get(2), c.get(3)) != null) {
                throw document.atLine(line.number(), "a second entry for this endpoint in this list");
            }
        }
        return endpoints;
    }

    /** Organisation id → the name the file gives it in its prose ("CLB Gent (`clb-gent`)"). */
    private static Map<String, String> organisationNames(Path file) {
        try {
            Map<String, String> names = new LinkedHashMap<>();
            Matcher m = ORGANISATION_NAME.matcher(Files.readString(file, StandardCharsets.UTF_8));
            while (m.find()) {
                names.putIfAbsent(m.group(2), m.group(1));
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Row rowOf(MarkdownTables document, Line line, Map<String, Map<String, CallerEntry>> legends) {
        List<String> c = line.cells();
        if (c.size() != MATRIX_HEADER.size()) {
            throw document.atLine(line.number(), "a row has " + MATRIX_HEADER.size() + " cells: "
                    + String.join(" | ", MATRIX_HEADER));
        }
        String service = c.get(0);
        String method = c.get(1);
        String path = c.get(2);
        String caller = c.get(3);
        String status = c.get(6);
        if (!legends.containsKey(service)) {
            throw document.atLine(line.number(), "unknown service '" + service + "' (no list of callers under "
                    + "a heading ### " + service + "); the services: " + legends.keySet());
        }
        if (!METHODS.contains(method)) {
            throw document.atLine(line.number(), "unknown method '" + method + "'; one of " + METHODS);
        }
        if (!path.startsWith("/") || path.chars().anyMatch(Character::isWhitespace)) {
            throw document.atLine(line.number(), "a path starts with / and has no spaces: '" + path + "'");
        }
        if (!STATUS.matcher(status).matches()) {
            throw document.atLine(line.number(), "the expected status is a number such as 200 or 404: '"
                    + status + "'");
        }
        CallerEntry entry = legends.get(service).get(caller);
        if (entry == null) {
            throw document.atLine(line.number(), "caller '" + caller + "' has no entry in the callers of "
                    + service + ": " + legends.get(service).keySet());
        }
        if (!entry.role().equals(c.get(4)) || !entry.relation().equals(c.get(5))) {
            throw document.atLine(line.number(), "the Role and Relation of caller '" + caller + "' are '"
                    + entry.role() + "' and '" + entry.relation() + "' (line " + entry.line() + ")");
        }
        return new Row(method, path, caller, Integer.parseInt(status));
    }

    public List<Row> rows() {
        return rows;
    }

    /** The endpoints of this service that the file lists as public by design: endpoint → why. */
    public Map<String, String> publicEndpoints() {
        return publicEndpoints;
    }

    /** The endpoints of this service that the file lists as touching no pupil data, not audited. */
    public Set<String> unaudited() {
        return unaudited;
    }

    private static Set<String> openApiEndpoints() {
        JsonPath openApi = given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200)
                .extract().jsonPath();
        Set<String> endpoints = new TreeSet<>();
        Map<String, Map<String, Object>> paths = openApi.getMap("paths");
        paths.forEach((path, operations) -> operations.keySet().stream()
                .filter(m -> METHODS.contains(m.toUpperCase()))
                .forEach(m -> endpoints.add(m.toUpperCase() + " " + path)));
        return endpoints;
    }

    /**
     * Every endpoint of the OpenAPI document has rows, and every row's endpoint is in it; the
     * endpoints listed as not audited exist.
     */
    public void assertCoversEveryEndpoint() {
        Set<String> endpoints = openApiEndpoints();
        Set<String> covered = rows.stream().map(Row::endpoint).collect(Collectors.toCollection(TreeSet::new));
        Set<String> missing = new TreeSet<>(endpoints);
        missing.removeAll(covered);
        assertTrue(missing.isEmpty(), "Endpoints without rows (" + source + "): " + missing);
        Set<String> unknown = new TreeSet<>(covered);
        unknown.removeAll(endpoints);
        assertTrue(unknown.isEmpty(), "Rows for endpoints that do not exist (" + source + "): " + unknown);
        Set<String> unknownUnaudited = new TreeSet<>(unaudited);
        unknownUnaudited.removeAll(endpoints);
        assertTrue(unknownUnaudited.isEmpty(), "Endpoints listed as not audited that do not exist (" + source + "): "
                + unknownUnaudited);
    }

    /**
     * The endpoints that answer without a sign-in, as the code says ({@link OpenEndpoints}, in the
     * module's {@code target/classes}), are exactly those the file lists as public by design for
     * this service (besides Quarkus's own routes under {@code /q/}); and each listed {@code /q/}
     * route answers an anonymous GET with neither 401, 403 nor 404.
     */
    public void assertOpenEndpointsAreListed() {
        Set<String> listed = new TreeSet<>();
        List<String> failures = new ArrayList<>();
        for (String endpoint : publicEndpoints.keySet()) {
            String path = endpoint.substring(endpoint.indexOf(' ') + 1);
            if (path.startsWith(QUARKUS_ROUTES)) {
                int status = given().when().request(endpoint.substring(0, endpoint.indexOf(' ')), path).then()
                        .extract().statusCode();
                if (status == 401 || status == 403 || status == 404) {
                    failures.add(endpoint + " → " + status);
                }
            } else {
                listed.add(endpoint);
            }
        }
        assertEquals(List.of(), failures, "Quarkus routes listed as public that are not (" + source + ")");
        Set<String> open = OpenEndpoints.of(Path.of("target", "classes"));
        assertEquals(listed, open, "The endpoints that answer without a sign-in (left: listed as public by design in "
                + DOCUMENT + "; right: without @Authenticated or @RolesAllowed in " + service + "'s code)");
    }

    /** One call the runner made, and what it needs to judge the trail. */
    private record Call(Row row, String correlation, Claims caller, boolean generated, boolean emptyList) {
        boolean refused() {
            return REFUSALS.contains(row.status());
        }
    }

    /**
     * Runs each row on a fresh world, then the anonymous caller on every endpoint of the OpenAPI
     * document not public by design, and checks each call (see the class comment). Every failure
     * of every call is gathered and reported at once, each naming its row.
     */
    public void assertEveryCellHolds(Setup setup) {
        List<String> failures = new ArrayList<>();
        Map<String, Call> calls = new LinkedHashMap<>();
        long start = System.nanoTime();
        long rowsDone;
        checks = 0;
        int worlds = 0;
        try (MatrixDatabase database = MatrixDatabase.fromConfig()) {
            int n = 0;
            // Worlds a refusal left as they were, by key (Setup.worldKey): building one costs several calls.
            Map<String, Map<String, String>> unchanged = new HashMap<>();
            for (Row row : refusalsFirst(rows)) {
                String key = setup.worldKey(row);
                Map<String, String> world = key == null ? null : unchanged.remove(key);
                if (world == null) {
                    world = setup.world(row);
                    worlds++;
                }
                String token = setup.token(row.caller());
                Claims claims = token == null ? null : Claims.of(token);
                long checking = System.nanoTime();
                checkCaller(row, claims, world, database, setup, failures);
                checks += System.nanoTime() - checking;
                String correlation = "matrix-" + (++n) + "-" + UUID.randomUUID().toString().substring(0, 8);
                Outcome outcome = call(row, token, world, setup.bodies(), correlation, database, failures);
                calls.put(correlation, new Call(row, correlation, claims, false, outcome.emptyList()));
                if (key != null && outcome.leftTheWorldAsItWas()) {
                    unchanged.put(key, world);
                }
            }
            rowsDone = System.nanoTime();
            Map<String, String> world = null;
            for (Row row : anonymousRows()) {
                if (world == null) {
                    world = setup.world(row); // one world for them all: a 401 changes nothing (checked)
                }
                String correlation = "matrix-" + (++n) + "-anonymous-" + UUID.randomUUID().toString().substring(0, 8);
                boolean empty = call(row, null, world, setup.bodies(), correlation, database, failures).emptyList();
                calls.put(correlation, new Call(row, correlation, null, true, empty));
            }
        }
        long anonymousDone = System.nanoTime();
        try {
            assertAll(() -> assertEquals(List.of(), failures, "Cells that do not hold (" + source + ")"),
                    () -> assertTrail(calls));
        } finally {
            System.out.printf("Authorization matrix of %s: %d rows on %d worlds in %d ms, %d anonymous calls in %d ms, "
                    + "the trail in %d ms; of these, %d ms for the callers' checks and the database's snapshots%n", service,
                    rows.size(), worlds, (rowsDone - start) / 1_000_000, calls.size() - rows.size(),
                    (anonymousDone - rowsDone) / 1_000_000, (System.nanoTime() - anonymousDone) / 1_000_000,
                    checks / 1_000_000);
        }
    }

    /**
     * The rows endpoint by endpoint, in the file's order, each endpoint's refusals before its grants:
     * the refusals can then share one world (Setup.worldKey), and the first grant may use it too.
     */
    private static List<Row> refusalsFirst(List<Row> rows) {
        Map<String, List<Row>> byEndpoint = new LinkedHashMap<>();
        for (Row row : rows) {
            byEndpoint.computeIfAbsent(row.endpoint(), e -> new ArrayList<>()).add(row);
        }
        List<Row> ordered = new ArrayList<>();
        for (List<Row> endpoint : byEndpoint.values()) {
            endpoint.stream().filter(r -> REFUSALS.contains(r.status())).forEach(ordered::add);
            endpoint.stream().filter(r -> !REFUSALS.contains(r.status())).forEach(ordered::add);
        }
        return ordered;
    }

    /** What a call did: whether it left the world as it was (refused, and for a write no table changed). */
    private record Outcome(boolean leftTheWorldAsItWas, boolean emptyList) {
    }

    /** The anonymous caller on each endpoint of the OpenAPI document that is not public by design. */
    private List<Row> anonymousRows() {
        List<Row> generated = new ArrayList<>();
        for (String endpoint : openApiEndpoints()) {
            if (publicEndpoints.containsKey(endpoint)) {
                continue;
            }
            // A row's path keeps its query (a required parameter); the OpenAPI path otherwise.
            String path = rows.stream().filter(r -> r.endpoint().equals(endpoint)).map(Row::path).findFirst()
                    .orElse(endpoint.substring(endpoint.indexOf(' ') + 1));
            generated.add(new Row(endpoint.substring(0, endpoint.indexOf(' ')), path, ANONYMOUS, 401));
        }
        return generated;
    }

    /** Makes the call and checks its status and, for a refused write, the database; whether it answered []. */
    private Outcome call(Row row, String token, Map<String, String> world, Map<String, String> bodies, String correlation,
            MatrixDatabase database, List<String> failures) {
        RequestSpecification request = given().header("X-Correlation-Id", correlation);
        if (token != null) {
            request = request.auth().oauth2(token);
        }
        String body = bodies.get(row.endpoint());
        if (body != null) {
            request = request.contentType(ContentType.JSON).body(fill(body, world));
        }
        boolean write = WRITES.contains(row.method());
        long snapshotting = System.nanoTime();
        Map<String, String> before = write ? database.snapshot() : null;
        checks += System.nanoTime() - snapshotting;
        var response = request.when().request(row.method(), fill(row.path(), world)).then().extract();
        int status = response.statusCode();
        if (status != row.status()) {
            failures.add(row + " → " + status);
        }
        boolean unchanged = REFUSALS.contains(status);
        if (write && REFUSALS.contains(status)) {
            snapshotting = System.nanoTime();
            List<String> changed = MatrixDatabase.changed(before, database.snapshot());
            checks += System.nanoTime() - snapshotting;
            if (!changed.isEmpty()) {
                failures.add(row + " → " + status + ", a refused write, changed the database: " + changed);
                unchanged = false;
            }
        }
        return new Outcome(unchanged, status / 100 == 2 && response.asString().strip().equals("[]"));
    }

    /** The token sent is the caller's entry (Role, Who), and each clause of its Relation holds in the world. */
    private void checkCaller(Row row, Claims caller, Map<String, String> world, MatrixDatabase database, Setup setup,
            List<String> failures) {
        CallerEntry entry = callers.get(row.caller());
        String at = row + " (callers' line " + entry.line() + "): ";
        if (entry.role().equals(NO_TOKEN) != (caller == null)) {
            failures.add(at + (caller == null ? "the Role cell '" + entry.role() + "' needs a token, none was sent"
                    : "the Role cell says no token, the test sent one"));
            return;
        }
        if (caller != null) {
            String role = entry.role().toLowerCase().replace(' ', '-');
            if (!caller.roles().equals(List.of(role))) {
                failures.add(at + "the Role cell '" + entry.role() + "' is the realm role " + role
                        + "; the token sent has " + caller.roles());
            }
            String who = entry.who();
            String user = who.split(",")[0].strip();
            if (USERNAME.matcher(user).matches() && !user.equals(caller.username())) {
                failures.add(at + "the Who cell names " + user + "; the token sent is " + caller.username() + "'s");
            }
            if (who.contains("service account") != caller.isSystem()) {
                failures.add(at + "the Who cell " + (caller.isSystem() ? "does not say" : "says") + " 'service account'"
                        + "; the token sent is " + caller.username() + "'s");
            }
            String organisation = caller.organisationId();
            String name = organisationNames.get(organisation);
            if (organisation == null || !(who.contains(organisation) || (name != null && who.contains(name)))) {
                failures.add(at + "the Who cell does not name the organisation of the token sent, " + organisation
                        + (name == null ? "" : " (" + name + ")"));
            } else if (!organisation.startsWith(caller.organisationType() + "-")) {
                failures.add(at + "the token's organisation " + organisation + " is of type "
                        + caller.organisationType());
            }
        }
        for (String clause : clauses(entry.relation())) {
            Relation relation = genericRelation(clause, setup.organisation());
            if (relation == null) {
                relation = setup.relations().get(clause);
            }
            if (relation == null) {
                failures.add(at + "the test of " + service + " has no check for the relation '" + clause + "'");
            } else if (!relation.holds(caller, world, database)) {
                failures.add(at + "'" + clause + "' does not hold in the row's world " + world + " for "
                        + (caller == null ? "a caller without a token" : caller));
            }
        }
    }

    /** A Relation cell's clauses: its parts between semicolons and commas (outside parentheses). */
    static List<String> clauses(String relation) {
        List<String> clauses = new ArrayList<>();
        int depth = 0;
        StringBuilder clause = new StringBuilder();
        for (char c : relation.toCharArray()) {
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth == 0 && (c == ';' || c == ',')) {
                clauses.add(clause.toString().strip());
                clause.setLength(0);
            } else {
                clause.append(c);
            }
        }
        clauses.add(clause.toString().strip());
        return clauses;
    }

    /** The clauses every service shares: the caller's organisation against the world's. */
    private static Relation genericRelation(String clause, String own) {
        return switch (clause) {
            case NO_TOKEN -> (c, w, d) -> c == null;
            case "own school", "own organisation (the pupil's school)" ->
                (c, w, d) -> c != null && own.equals(c.organisationId()) && "school".equals(c.organisationType());
            case "own organisation" -> (c, w, d) -> c != null && own.equals(c.organisationId());
            case "other school", "other organisation (another school)" ->
                (c, w, d) -> c != null && !own.equals(c.organisationId()) && "school".equals(c.organisationType());
            case "other organisation" -> (c, w, d) -> c != null && !own.equals(c.organisationId());
            case "other organisation (a CLB)" ->
                (c, w, d) -> c != null && !own.equals(c.organisationId()) && "clb".equals(c.organisationType());
            case "other organisation (a care service)" ->
                (c, w, d) -> c != null && !own.equals(c.organisationId()) && "care".equals(c.organisationType());
            case "a system", "not a person" -> (c, w, d) -> c != null && c.isSystem();
            case "the deployment's operator" -> (c, w, d) -> c != null && c.roles().equals(List.of("operator"));
            default -> null;
        };
    }

    /** Reads the trail (ntk.audit.v1) once, for the records of every call, and judges them. */
    private void assertTrail(Map<String, Call> calls) {
        Map<String, List<JsonNode>> records = new LinkedHashMap<>();
        Set<String> awaited = new HashSet<>();
        calls.values().forEach(call -> {
            records.put(call.correlation(), new ArrayList<>());
            if (call.refused() || !(unaudited.contains(call.row().endpoint()) || call.emptyList())) {
                awaited.add(call.correlation());
            }
        });
        TestTopics.readUntil(TestTopics.admin(), "ntk.audit.v1", r -> {
            // Only the records of these calls are parsed (found by their correlation id, cheaply);
            // the topic may also carry a test's poison message.
            Matcher id = r.value() == null ? null : CORRELATION.matcher(r.value());
            Call call = id != null && id.find() ? calls.get(id.group(1)) : null;
            if (call != null) {
                try {
                    JsonNode record = JSON.readTree(r.value());
                    records.get(call.correlation()).add(record);
                    if (record.path("outcome").asText().equals(call.refused() ? "REFUSED" : "GRANTED")) {
                        awaited.remove(call.correlation());
                    }
                } catch (IOException notJson) {
                    // not an audit record: not ours to judge here
                }
            }
            return awaited.isEmpty();
        }, Duration.ofSeconds(90));
        List<String> unauditedRefusals = new ArrayList<>();
        List<String> unauditedGrants = new ArrayList<>();
        List<String> wrongRecords = new ArrayList<>();
        for (Call call : calls.values()) {
            Row row = call.row();
            String outcome = call.refused() ? "REFUSED" : "GRANTED";
            List<JsonNode> own = records.get(call.correlation()).stream()
                    .filter(r -> outcome.equals(r.path("outcome").asText())).toList();
            String what = row + (call.generated() ? " (generated)" : "");
            if (call.refused()) {
                if (own.isEmpty()) {
                    unauditedRefusals.add(what);
                } else if (row.status() == 401 && own.stream().noneMatch(r -> ANONYMOUS.equals(actor(r))
                        && "endpoint".equals(r.path("resourceType").asText())
                        && row.endpoint().equals(r.path("resourceId").asText()))) {
                    wrongRecords.add(what + ": no REFUSED record names the caller anonymous and the endpoint "
                            + row.endpoint() + ": " + own);
                } else if (call.caller() != null && own.stream().noneMatch(r -> call.caller().username().equals(actor(r)))) {
                    wrongRecords.add(what + ": no REFUSED record names the caller " + call.caller().username());
                }
            } else if (unaudited.contains(row.endpoint())) {
                if (!own.isEmpty()) {
                    wrongRecords.add(what + ": listed as not audited, but its grant left a GRANTED record: "
                            + "take it off the list");
                }
            } else if (own.isEmpty() && !call.emptyList()) {
                unauditedGrants.add(what); // an empty list read no pupil data: nothing to record
            } else if (call.caller() != null && own.stream().anyMatch(r -> !call.caller().username().equals(actor(r)))) {
                wrongRecords.add(what + ": a GRANTED record names another actor than " + call.caller().username());
            }
        }
        assertAll(
                () -> assertEquals(List.of(), unauditedRefusals, "Refusals without a REFUSED audit record (" + source
                        + ")"),
                () -> assertEquals(List.of(), unauditedGrants, "Grants without a GRANTED audit record (" + source
                        + "; an endpoint that touches no pupil data is listed as not audited, with the reason)"),
                () -> assertEquals(List.of(), wrongRecords, "Audit records that do not name the call (" + source + ")"));
    }

    private static String actor(JsonNode record) {
        return record.path("actor").path("username").asText(null);
    }

    public static String fill(String template, Map<String, String> values) {
        String result = template;
        for (Map.Entry<String, String> e : values.entrySet()) {
            result = result.replace(e.getKey(), e.getValue());
        }
        // A placeholder the world has no value for (only on an anonymous call): any id will do.
        return PLACEHOLDER.matcher(result).replaceAll(m -> UUID.randomUUID().toString());
    }
}
