package be.needtoknow.cases.staff;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
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

@Path("/staff")
@Authenticated
@Tag(name = "staff", description = "The school platform's import of staff and teaching assignments; the staff directory")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class StaffResource {

    @Inject
    StaffImport staffImport;

    @Inject
    StaffDirectory directory;

    @Inject
    CallerContext caller;

    @GET
    @Operation(operationId = "listStaff",
            summary = "The staff directory of the caller's own organisation", description = "For the school's "
            + "DPO only (any other role, the school platform's too, is 403): each staff member's username, name and "
            + "functions (no class groups), "
            + "so that the access report (T4) names people as parents know them. Audited (A1).")
    public List<StaffDirectory.Entry> list() {
        return directory.list(caller.get());
    }

    @PUT
    @Operation(operationId = "importStaff",
            summary = "Import staff and teaching assignments (idempotent upsert)", description = "For the school "
            + "platform's service account: each staff member's functions (teacher, pupil-counsellor, care-coordinator, "
            + "principal, discipline) and the class groups they teach. A malformed row rejects the whole batch.")
    public ImportResult upsert(@RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(
            name = "staff", value = """
                    {"staff": [{"username": "teacher-a", "name": "Teacher A", "functions": ["teacher"], "classGroups": ["1A", "1B"]},
                               {"username": "counsellor-a", "name": "Counsellor A", "functions": ["pupil-counsellor"], "classGroups": []}]}""")))
            @Valid @NotNull StaffBatch batch) {
        return staffImport.upsert(caller.get(), batch);
    }
}
