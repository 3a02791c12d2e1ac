package be.needtoknow.audit.openapi;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import be.needtoknow.stack.testing.TestStack;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The integrators' contract: the OpenAPI document audit-service serves ({@code /q/openapi}, YAML)
 * is the committed {@code docs/openapi/audit-service.yaml}, so that any change of the API shows as a
 * diff of that file in review (and is linted by deploy/api-checks). On a difference the live
 * document is written to target/ and the failure names the command that copies it.
 */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
class OpenApiDocumentTest {

    private static final String SERVICE = "audit-service";

    @Test
    void theServedDocumentIsTheCommittedOne() throws IOException {
        String live = given().when().get("/q/openapi").then().statusCode(200).extract().asString();
        assertTrue(live.contains("openapi: 3"), "not an OpenAPI document: " + live.lines().limit(5).toList());
        // The tests' working directory is the module's; the repository's docs/ is beside it.
        Path committed = Path.of("..", "docs", "openapi", SERVICE + ".yaml");
        // Compared as documents: the order of a schema's keywords is no part of the contract.
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        if (Files.exists(committed) && yaml.readTree(committed.toFile()).equals(yaml.readTree(live))) {
            return;
        }
        Path served = Path.of("target", "openapi", SERVICE + ".yaml");
        Files.createDirectories(served.getParent());
        Files.writeString(served, live);
        fail("The OpenAPI document served differs from " + committed.normalize() + " (or it is missing). If the "
                + "API change is intended, copy the served one and commit it, from the repository's root: cp " + SERVICE
                + "/" + served + " docs/openapi/" + SERVICE + ".yaml (deploy/api-checks then lints it in mvn verify)");
    }
}
