package be.needtoknow.cases.casefile;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import be.needtoknow.common.identity.CallerContext;
import io.quarkus.security.Authenticated;

@Path("/case-files")
@Authenticated
@Tag(name = "case files", description = "The school's internal case file on a pupil")
@Produces(MediaType.APPLICATION_JSON)
public class CaseFileResource {

    @Inject
    CaseFiles caseFiles;

    @Inject
    CallerContext caller;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "openCaseFile", summary = "Open a case file for a pupil of your school",
            description = "For pupil counsellors and care coordinators (N3). At most one case file is open per pupil.")
    @APIResponse(responseCode = "201", description = "The case file, opened", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CaseFileView.class)))
    public Response open(@RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(
            name = "open", value = """
                    {"pupilId": "pupil-0001", "reason": "Often absent on Mondays"}"""))) @Valid @NotNull OpenCaseFile request) {
        CaseFileView opened = caseFiles.open(caller.get(), request);
        return Response.created(URI.create("/case-files/" + opened.id())).entity(opened).build();
    }

    @GET
    @Operation(operationId = "listCaseFiles", summary = "The case files you may see",
            description = "Care coordinators and the principal see the school's case files (the principal without "
                    + "the reason); others see the files whose care team they are on.")
    public List<CaseFileView> list() {
        return caseFiles.list(caller.get());
    }

    @POST
    @Path("/{id}/close")
    @Operation(operationId = "closeCaseFile",
            summary = "Close a case file", description = "For its owner or a care coordinator. A closed file is "
            + "kept for the retention period, then purged.")
    public CaseFileView close(@PathParam("id") UUID id) {
        return caseFiles.close(caller.get(), id);
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getCaseFile",
            summary = "One case file", description = "404 when it does not exist, is another school's, or is "
            + "not yours to see: the three are never told apart.")
    public CaseFileView read(@PathParam("id") UUID id) {
        return caseFiles.read(caller.get(), id);
    }
}
