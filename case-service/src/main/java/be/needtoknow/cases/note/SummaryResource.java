package be.needtoknow.cases.note;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import be.needtoknow.common.identity.CallerContext;
import io.quarkus.security.Authenticated;

@Path("/pupils/{pupilId}/need-to-know")
@Authenticated
@Tag(name = "notes")
@Produces(MediaType.APPLICATION_JSON)
public class SummaryResource {

    @Inject
    Notes notes;

    @Inject
    CallerContext caller;

    @GET
    @Operation(operationId = "listNeedToKnowSummaries",
            summary = "What the pupil's teachers must know", description = "For the staff who teach the pupil's "
            + "class group (and the care team): the need-to-know summaries of the pupil's open case file, e.g. an "
            + "agreed accommodation. 404 when there are none for you.")
    public List<NoteViews.NoteView> summaries(@Parameter(description = "The school's pupil id", example = "pupil-0001")
            @PathParam("pupilId") @Size(max = 64) String pupilId) {
        return notes.summaries(caller.get(), pupilId);
    }
}
