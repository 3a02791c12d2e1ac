package be.needtoknow.stack.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import be.needtoknow.stack.testing.MarkdownTables.Line;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * The suite's authorization matrix, as one table in {@code docs/authorization-matrix.md}: for each
 * service, endpoint × caller (with the caller's role and relation) → expected status. A service's
 * matrix test {@link #load}s its rows from that file; {@link #assertCoversEveryEndpoint} fails when
 * the service's OpenAPI document has an endpoint without rows; {@link #assertEveryCellHolds} runs
 * each row against a fresh world and checks that every refused row (401, 403, 404, 409) left a
 * REFUSED audit record carrying the request's correlation id (A1): an anonymous scan of the API is
 * in the trail too.
 *
 * <p>The file's shape, which {@link #load} enforces so that what a reader sees is what the tests
 * run: under a heading naming a service ({@code ### case-service}), a table
 * {@code | Caller | Who | Role | Relation |} lists that service's callers; one table
 * {@code | Service | Method | Path | Caller | Role | Relation | Expected |} holds the rows of all
 * services, each row's Role and Relation those of its caller's entry. Any other table is prose.
 */
public final class AuthorizationMatrix {

    /** The suite's one table, as the tests find it: their working directory is their module's. */
    public static final Path DOCUMENT = Path.of("..", "docs", "authorization-matrix.md");

    private static final List<String> CALLERS_HEADER = List.of("Caller", "Who", "Role", "Relation");
    private static final List<String> MATRIX_HEADER = List.of("Service", "Method", "Path", "Caller", "Role", "Relation",
            "Expected");
    private static final Set<String> METHODS = Set.of("GET", "PUT", "POST", "DELETE", "PATCH");
    private static final Pattern SERVICE = Pattern.compile("[a-z][a-z0-9-]*");
    private static final Pattern STATUS = Pattern.compile("[1-5][0-9][0-9]");

    /** One cell: this caller on this endpoint gets this status. The path may carry a query (?name={value}). */
    public record Row(String method, String path, String caller, int status) {
        /** The endpoint as OpenAPI names it: the method and the path without its query. */
        public String endpoint() {
            int query = path.indexOf('?');
            return method + " " + (query < 0 ? path : path.substring(0, query));
        }
    }

    private final String source;
    private final List<Row> rows;

    private AuthorizationMatrix(String source, List<Row> rows) {
        this.source = source;
        this.rows = rows;
    }

    /** A caller's entry in a service's list of callers. */
    private record CallerEntry(String role, String relation, int line) {
    }

    /** A table's line: its number (from 1) and its cells. */
    /**
     * The rows of one service, from the suite's table. Fails, naming the line, on anything that
     * would make the file say something other than what the tests run: a malformed row, an unknown
     * service or method, the same caller twice on an endpoint, a caller without an entry in its
     * service's list of callers or whose Role and Relation cells differ from that entry, a caller
     * of this service the test has no token for, an entry of this service that no row uses.
     *
     * @param file    the Markdown file ({@link #DOCUMENT})
     * @param service the service whose rows to run, as the table's Service column names it
     * @param callers the caller keys the test has tokens for
     */
    public static AuthorizationMatrix load(Path file, String service, Set<String> callers) {
        MarkdownTables document = MarkdownTables.read(file, "authorization matrix");
        Map<String, Map<String, CallerEntry>> legends = new LinkedHashMap<>();
        List<Line> matrix = null;
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
        legends.get(service).forEach((caller, entry) -> {
            if (!used.contains(caller)) {
                throw document.atLine(entry.line(), "caller '" + caller + "' of " + service + " is in no row");
            }
        });
        return new AuthorizationMatrix(service + "'s rows in " + file, rows);
    }

    private static Map<String, CallerEntry> callersOf(MarkdownTables document, List<Line> body) {
        Map<String, CallerEntry> callers = new LinkedHashMap<>();
        for (Line line : body) {
            List<String> c = line.cells();
            if (c.size() != CALLERS_HEADER.size() || c.stream().anyMatch(String::isEmpty)) {
                throw document.atLine(line.number(), "a caller's entry has four filled cells: "
                        + String.join(" | ", CALLERS_HEADER));
            }
            if (callers.put(c.get(0), new CallerEntry(c.get(2), c.get(3), line.number())) != null) {
                throw document.atLine(line.number(), "a second entry for caller '" + c.get(0) + "'");
            }
        }
        return callers;
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

    public void assertCoversEveryEndpoint() {
        JsonPath openApi = given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200)
                .extract().jsonPath();
        Set<String> endpoints = new TreeSet<>();
        Map<String, Map<String, Object>> paths = openApi.getMap("paths");
        paths.forEach((path, operations) -> operations.keySet().stream()
                .filter(m -> METHODS.contains(m.toUpperCase()))
                .forEach(m -> endpoints.add(m.toUpperCase() + " " + path)));
        Set<String> covered = rows.stream().map(Row::endpoint).collect(Collectors.toCollection(TreeSet::new));
        Set<String> missing = new TreeSet<>(endpoints);
        missing.removeAll(covered);
        assertTrue(missing.isEmpty(), "Endpoints without rows (" + source + "): " + missing);
        Set<String> unknown = new TreeSet<>(covered);
        unknown.removeAll(endpoints);
        assertTrue(unknown.isEmpty(), "Rows for endpoints that do not exist (" + source + "): " + unknown);
    }

    /**
     * @param tokens a caller's token (null: no token)
     * @param world  builds a fresh world for a row: placeholder ({@code {id}}, ...) → value
     * @param bodies the request body of each endpoint that takes one, with placeholders
     */
    public void assertEveryCellHolds(Function<String, String> tokens, Function<Row, Map<String, String>> world,
            Map<String, String> bodies) {
        List<String> failures = new ArrayList<>();
        Map<String, Row> refused = new LinkedHashMap<>();
        int n = 0;
        for (Row row : rows) {
            Map<String, String> values = world.apply(row);
            String correlation = "matrix-" + (++n) + "-" + UUID.randomUUID().toString().substring(0, 8);
            RequestSpecification request = given().header("X-Correlation-Id", correlation);
            String token = tokens.apply(row.caller());
            if (token != null) {
                request = request.auth().oauth2(token);
            }
            String body = bodies.get(row.endpoint());
            if (body != null) {
                request = request.contentType(ContentType.JSON).body(fill(body, values));
            }
            int status = request.when().request(row.method(), fill(row.path(), values)).then().extract().statusCode();
            if (status != row.status()) {
                failures.add(row + " → " + status);
            }
            if (status == 401 || status == 403 || status == 404 || status == 409) {
                refused.put(correlation, row);
            }
        }
        assertEquals(List.of(), failures, "Cells that do not hold (" + source + ")");
        if (refused.isEmpty()) {
            return;
        }
        Set<String> awaited = new HashSet<>(refused.keySet());
        TestTopics.readUntil(TestTopics.admin(), "ntk.audit.v1", r -> {
            // Only well-formed records count; the topic may also carry a test's poison message.
            if (r.value() != null && r.value().contains("\"REFUSED\"")) {
                try {
                    JsonPath record = JsonPath.from(r.value());
                    if ("REFUSED".equals(record.getString("outcome"))) {
                        awaited.remove(record.getString("correlationId"));
                    }
                } catch (RuntimeException notJson) {
                    // not an audit record: not ours to judge here
                }
            }
            return awaited.isEmpty();
        }, Duration.ofSeconds(60));
        List<String> unaudited = refused.entrySet().stream().filter(e -> awaited.contains(e.getKey()))
                .map(e -> e.getValue().toString()).toList();
        assertEquals(List.of(), unaudited, "Refusals without a REFUSED audit record (" + source + ")");
    }

    public static String fill(String template, Map<String, String> values) {
        String result = template;
        for (Map.Entry<String, String> e : values.entrySet()) {
            result = result.replace(e.getKey(), e.getValue());
        }
        return result;
    }
}
