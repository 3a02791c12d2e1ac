package be.needtoknow.cases.signal;

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

@Path("/signals")
@Authenticated
@Tag(name = "signals", description = "Concerns reported by any staff member (S4)")
@Produces(MediaType.APPLICATION_JSON)
public class SignalResource {

    @Inject
    Signals signals;

    @Inject
    CallerContext caller;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "reportSignal",
            summary = "Report a concern about a pupil", description = "Any staff member of the school, about any "
            + "pupil of the school. It goes to the care coordinators; it gives no access to the case file.")
    @APIResponse(responseCode = "201", description = "The signal, reported", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SignalViews.OwnSignal.class)))
    public Response report(@RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(
            name = "concern", value = """
                    {"pupilId": "pupil-0001", "concern": "Seems withdrawn this week."}"""))) @Valid @NotNull SignalViews.Report request) {
        return Response.status(Response.Status.CREATED).entity(signals.report(caller.get(), request)).build();
    }

    @GET
    @Operation(operationId = "listOwnSignals",
            summary = "The signals you reported", description = "With whether each was taken up; never the case file.")
    public List<SignalViews.OwnSignal> own() {
        return signals.own(caller.get());
    }

    @GET
    @Path("/intake")
    @Operation(operationId = "listSignalIntake",
            summary = "The care coordinators' intake", description = "The school's signals not taken up yet.")
    public List<SignalViews.IntakeSignal> intake() {
        return signals.intake(caller.get());
    }

    @POST
    @Path("/{id}/take-up")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "takeUpSignal",
            summary = "Take up a signal", description = "For a care coordinator: linked to the pupil's open case "
            + "file, or to a new one opened with the given reason.")
    public SignalViews.IntakeSignal takeUp(@PathParam("id") UUID id, @Valid SignalViews.TakeUp request) {
        return signals.takeUp(caller.get(), id, request);
    }
}
