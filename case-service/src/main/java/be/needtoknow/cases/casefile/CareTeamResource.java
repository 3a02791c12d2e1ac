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
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import be.needtoknow.common.caller.CallerContext;
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
    @Operation(summary = "The care team", description = "For whoever sees the whole case file.")
    public List<CareTeamMemberView> list(@PathParam("id") UUID id) {
        return careTeams.list(caller.get(), id);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add a staff member to the care team", description = "For the case file's owner. A staff "
            + "member who enforces discipline at the school cannot join (R1).")
    public Response add(@PathParam("id") UUID id, @Valid @NotNull AddMember request) {
        return Response.status(Response.Status.CREATED).entity(careTeams.add(caller.get(), id, request)).build();
    }

    @DELETE
    @Path("/{username}")
    @Operation(summary = "Remove a member from the care team", description = "For the case file's owner.")
    public Response remove(@PathParam("id") UUID id, @PathParam("username") @Size(max = 128) String username) {
        careTeams.remove(caller.get(), id, username);
        return Response.noContent().build();
    }
}
