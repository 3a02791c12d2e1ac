package be.needtoknow.cases.pupil;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import be.needtoknow.cases.ImportResult;
import be.needtoknow.common.identity.CallerContext;
import io.quarkus.security.Authenticated;

@Path("/pupils")
@Authenticated
@Tag(name = "pupils", description = "The school platform's pupil import")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class PupilResource {

    @Inject
    PupilImport pupilImport;

    @Inject
    CallerContext caller;

    @PUT
    @Operation(operationId = "importPupils",
            summary = "Import pupils (idempotent upsert)", description = "For the school platform's service "
            + "account. A batch of at most 5000 pupils of the caller's school; a malformed row rejects the whole "
            + "batch with a problem naming the row, and nothing is stored. Re-sending a batch changes nothing.")
    public ImportResult upsert(@RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(
            name = "pupils", value = """
                    {"pupils": [{"pupilId": "pupil-0001", "givenName": "Pupil", "familyName": "A", "birthDate": "2013-09-01", "classGroup": "1A"},
                                {"pupilId": "pupil-0002", "givenName": "Pupil", "familyName": "B", "birthDate": "2012-09-01", "classGroup": "2A"}]}""")))
            @Valid @NotNull PupilBatch batch) {
        return pupilImport.upsert(caller.get(), batch);
    }
}
