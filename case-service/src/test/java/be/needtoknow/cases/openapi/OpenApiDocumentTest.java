package be.needtoknow.cases.openapi;

import static io.restassured.RestAssured.given;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import be.needtoknow.testing.OpenApiDocuments;
import be.needtoknow.testing.TestStack;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The integrators' contract: the OpenAPI document case-service serves ({@code /q/openapi}, YAML)
 * is the committed {@code docs/openapi/case-service.yaml} (stack testing OpenApiDocuments).
 */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
class OpenApiDocumentTest {

    private static final String SERVICE = "case-service";

    @Test
    void theServedDocumentIsTheCommittedOne() throws IOException {
        OpenApiDocuments.assertServedIsCommitted(SERVICE,
                given().when().get("/q/openapi").then().statusCode(200).extract().asString());
    }
}
