package be.needtoknow.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The integrators' contract: the OpenAPI document a service serves ({@code /q/openapi}, YAML) is
 * the committed {@code docs/openapi/<service>.yaml}, so that any change of the API shows as a diff
 * of that file in review (and is linted by deploy/api-checks). Each service's OpenApiDocumentTest
 * calls this with what it serves.
 */
public final class OpenApiDocuments {

    private OpenApiDocuments() {
    }

    /**
     * Passes when the served document equals the committed one as a document (the order of a
     * schema's keywords is no part of the contract); otherwise writes the served one to
     * {@code target/openapi/} and fails naming the command that copies it. Run from the service's
     * module directory (the tests' working directory), beside the repository's docs/.
     */
    public static void assertServedIsCommitted(String service, String served) throws IOException {
        assertTrue(served.contains("openapi: 3"), "not an OpenAPI document: " + served.lines().limit(5).toList());
        Path committed = Path.of("..", "docs", "openapi", service + ".yaml");
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        if (Files.exists(committed) && yaml.readTree(committed.toFile()).equals(yaml.readTree(served))) {
            return;
        }
        Path written = Path.of("target", "openapi", service + ".yaml");
        Files.createDirectories(written.getParent());
        Files.writeString(written, served);
        fail("The OpenAPI document served differs from " + committed.normalize() + " (or it is missing). If the "
                + "API change is intended, copy the served one and commit it, from the repository's root: cp " + service
                + "/" + written + " docs/openapi/" + service + ".yaml (deploy/api-checks then lints it in mvn verify)");
    }
}
