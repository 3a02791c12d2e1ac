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
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import be.needtoknow.common.caller.CallerContext;
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
    @Operation(summary = "Register a disciplinary measure", description = "By discipline staff or the principal, "
            + "never by a member of the pupil's care team (R1).")
    public Response register(@PathParam("pupilId") @Size(max = 64) String pupilId,
            @Valid @NotNull DisciplineRegister.Register request) {
        return Response.status(Response.Status.CREATED).entity(register.register(caller.get(), pupilId, request)).build();
    }

    @GET
    @Operation(summary = "The pupil's disciplinary measures", description = "For the principal and discipline staff only.")
    public List<DisciplineRegister.MeasureView> read(@PathParam("pupilId") @Size(max = 64) String pupilId) {
        return register.read(caller.get(), pupilId);
    }
}
