package be.needtoknow.cases.casefile;

import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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

@Path("/case-files/{id}/care-team")
@Authenticated
@Tag(name = "care team", description = "The named members of a pupil's care team (N3, R1)")
@Produces(MediaType.APPLICATION_JSON)
public class CareTeamResource {

    @Inject
    CareTeams careTeams;

    @Inject
    CallerContext caller;

    @GET
    @Operation(operationId = "listCareTeam",
            summary = "The care team", description = "For whoever sees the whole case file.")
    public List<CareTeamMemberView> list(@PathParam("id") UUID id) {
        return careTeams.list(caller.get(), id);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "addCareTeamMember",
            summary = "Add a staff member to the care team", description = "For the case file's owner. A staff "
            + "member who enforces discipline at the school cannot join (R1).")
    @APIResponse(responseCode = "201", description = "The member, added", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CareTeamMemberView.class)))
    public Response add(@PathParam("id") UUID id, @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "teacher", value = """
                    {"username": "teacher-a", "role": "teacher", "purpose": "class follow-up"}"""))) @Valid @NotNull AddMember request) {
        return Response.status(Response.Status.CREATED).entity(careTeams.add(caller.get(), id, request)).build();
    }

    @DELETE
    @Path("/{username}")
    @Operation(operationId = "removeCareTeamMember", summary = "Remove a member from the care team",
            description = "For the case file's owner.")
    @APIResponse(responseCode = "204", description = "Removed")
    public Response remove(@PathParam("id") UUID id, @PathParam("username") @Size(max = 128) String username) {
        careTeams.remove(caller.get(), id, username);
        return Response.noContent().build();
    }
}
