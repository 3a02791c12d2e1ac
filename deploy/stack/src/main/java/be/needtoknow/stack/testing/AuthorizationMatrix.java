package be.needtoknow.stack.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.stream.Collectors;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * One way to write and run an authorization matrix: a table of {@code METHOD path | caller | status}
 * rows. {@link #assertCoversEveryEndpoint} fails when the service's OpenAPI document has an endpoint
 * without rows; {@link #assertEveryCellHolds} runs each row against a fresh world and checks that
 * every refused row (401, 403, 404, 409) left a REFUSED audit record carrying the request's
 * correlation id (A1): an anonymous scan of the API is in the trail too.
 */
public final class AuthorizationMatrix {

    /** One cell: this caller on this endpoint gets this status. The path may carry a query (?name={value}). */
    public record Row(String method, String path, String caller, int status) {
        /** The endpoint as OpenAPI names it: the method and the path without its query. */
        public String endpoint() {
            int query = path.indexOf('?');
            return method + " " + (query < 0 ? path : path.substring(0, query));
        }
    }

    private final List<Row> rows;

    private AuthorizationMatrix(List<Row> rows) {
        this.rows = rows;
    }

    public static AuthorizationMatrix parse(String table) {
        return new AuthorizationMatrix(table.lines().filter(l -> !l.isBlank()).map(line -> {
            String[] cells = line.split("\\|");
            String[] endpoint = cells[0].trim().split("\\s+");
            return new Row(endpoint[0], endpoint[1], cells[1].trim(), Integer.parseInt(cells[2].trim()));
        }).toList());
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
                .filter(m -> Set.of("get", "put", "post", "delete", "patch").contains(m))
                .forEach(m -> endpoints.add(m.toUpperCase() + " " + path)));
        Set<String> covered = rows.stream().map(Row::endpoint).collect(Collectors.toCollection(TreeSet::new));
        Set<String> missing = new TreeSet<>(endpoints);
        missing.removeAll(covered);
        assertTrue(missing.isEmpty(), "Endpoints without rows in the authorization matrix: " + missing);
        Set<String> unknown = new TreeSet<>(covered);
        unknown.removeAll(endpoints);
        assertTrue(unknown.isEmpty(), "Matrix rows for endpoints that do not exist: " + unknown);
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
        assertEquals(List.of(), failures, "cells that do not hold");
        if (refused.isEmpty()) {
            return;
        }
        Set<String> awaited = new HashSet<>(refused.keySet());
        TestTopics.readUntil(TestTokens.kafkaBootstrapServers(), "ntk.audit.v1", r -> {
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
        assertEquals(List.of(), unaudited, "refusals without a REFUSED audit record");
    }

    public static String fill(String template, Map<String, String> values) {
        String result = template;
        for (Map.Entry<String, String> e : values.entrySet()) {
            result = result.replace(e.getKey(), e.getValue());
        }
        return result;
    }
}
