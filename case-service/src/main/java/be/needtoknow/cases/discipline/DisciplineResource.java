package be.needtoknow.cases.discipline;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
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
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import be.needtoknow.common.identity.CallerContext;
import io.quarkus.security.Authenticated;

@Path("/pupils/{pupilId}/discipline-measures")
@Authenticated
@Tag(name = "discipline register", description = "Kept apart from the guidance file (R1)")
@Produces(MediaType.APPLICATION_JSON)
public class DisciplineResource {

    @Inject
    DisciplineRegister register;

    @Inject
    CallerContext caller;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "registerDisciplineMeasure",
            summary = "Register a disciplinary measure", description = "By discipline staff or the principal, "
            + "never by a member of the pupil's care team (R1).")
    @APIResponse(responseCode = "201", description = "The measure, registered", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DisciplineRegister.MeasureView.class)))
    public Response register(@Parameter(description = "The school's pupil id", example = "pupil-0001")
            @PathParam("pupilId") @Size(max = 64) String pupilId,
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "detention",
                    value = """
                            {"measureType": "detention", "decidedOn": "2026-02-03"}""")))
            @Valid @NotNull DisciplineRegister.Register request) {
        return Response.status(Response.Status.CREATED).entity(register.register(caller.get(), pupilId, request)).build();
    }

    @GET
    @Operation(operationId = "listDisciplineMeasures",
            summary = "The pupil's disciplinary measures", description = "For the principal and discipline staff only.")
    public List<DisciplineRegister.MeasureView> read(@Parameter(description = "The school's pupil id", example = "pupil-0001")
            @PathParam("pupilId") @Size(max = 64) String pupilId) {
        return register.read(caller.get(), pupilId);
    }
}
