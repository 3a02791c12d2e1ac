package be.needtoknow.cases.note;

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

@Path("/case-files/{id}")
@Authenticated
@Tag(name = "notes", description = "Notes with need-to-know visibility (N3) and the confidentiality notice (S1)")
@Produces(MediaType.APPLICATION_JSON)
public class NoteResource {

    @Inject
    Notes notes;

    @Inject
    CallerContext caller;

    @POST
    @Path("/confidentiality-notices")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "recordConfidentialityNotice",
            summary = "Record that the pupil was told the school cannot keep secrets (S1)", description = "By a "
            + "member of the care team: when and how (SPOKEN or WRITTEN) the pupil was told plainly that the school "
            + "cannot guarantee secrecy and that information may go to the principal, colleagues or the CLB.")
    @APIResponse(responseCode = "201", description = "The notice, on record", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = NoteViews.NoticeView.class)))
    public Response recordNotice(@PathParam("id") UUID id, @RequestBody(content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "spoken", value = """
                    {"givenAt": "2026-11-20T09:30:00Z", "how": "SPOKEN"}"""))) @Valid @NotNull NoteRequests.RecordNotice request) {
        return Response.status(Response.Status.CREATED).entity(notes.recordNotice(caller.get(), id, request)).build();
    }

    @GET
    @Path("/confidentiality-notices")
    @Operation(operationId = "listConfidentialityNotices", summary = "The confidentiality notices on record")
    public List<NoteViews.NoticeView> notices(@PathParam("id") UUID id) {
        return notes.notices(caller.get(), id);
    }

    @POST
    @Path("/notes")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "writeNote",
            summary = "Write a note", description = "By a member of the care team. Visibility PRIVATE (its author "
            + "only), CARE_TEAM, or TEACHERS (a need-to-know summary for the staff who teach the pupil). A CONVERSATION "
            + "note needs the confidentiality notice on record first (S1). Notes are immutable.")
    @APIResponse(responseCode = "201", description = "The note, written", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = NoteViews.NoteView.class)))
    public Response write(@PathParam("id") UUID id, @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "observation", value = """
                    {"kind": "OBSERVATION", "visibility": "CARE_TEAM", "text": "Tired in the morning lessons."}""")))
            @Valid @NotNull NoteRequests.WriteNote request) {
        return Response.status(Response.Status.CREATED).entity(notes.write(caller.get(), id, request)).build();
    }

    @GET
    @Path("/notes")
    @Operation(operationId = "listNotes",
            summary = "The notes you may read", description = "Current versions, each with the versions it corrected.")
    public List<NoteViews.NoteView> read(@PathParam("id") UUID id) {
        return notes.read(caller.get(), id);
    }

    @POST
    @Path("/notes/{noteId}/for-referral")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "readNoteForReferral",
            summary = "A note for a referral's draft (N1)", description = "Called by referral-service with the "
            + "counsellor's own token while the counsellor chooses a referral's items. The body is the referral's id "
            + "and referral-service's grant for it (`referralId`, `grant`), nothing else: a `purpose` or "
            + "`recipientId` is refused as an unknown field (400). Answered only to a member of the care team who "
            + "may read the note, for a referral that referral-service vouches for (its draft, of this pupil, owned "
            + "by the caller); never a private working note, never an old version. A missing, forged or expired "
            + "grant, or one for another referral, caller or school, is 403 `referral-not-verified`; a referral "
            + "of another pupil is 403 `referral-of-another-pupil`; both are audited. This is an audited read of "
            + "the note (`note.read`, purpose \"preparing a referral\"), not a disclosure: referral-service "
            + "records each note's disclosure (`note.disclose`) when the referral is sent.")
    public NoteViews.ForReferral forReferral(@PathParam("id") UUID id, @PathParam("noteId") UUID noteId,
            @Valid @NotNull NoteRequests.ForReferral request) {
        return notes.forReferral(caller.get(), id, noteId, request);
    }

    @POST
    @Path("/notes/{noteId}/corrections")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "correctNote",
            summary = "Correct a note", description = "By its author: a new version linked to the one it corrects.")
    @APIResponse(responseCode = "201", description = "The new version", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = NoteViews.NoteView.class)))
    public Response correct(@PathParam("id") UUID id, @PathParam("noteId") UUID noteId,
            @Valid @NotNull NoteRequests.Correction request) {
        return Response.status(Response.Status.CREATED).entity(notes.correct(caller.get(), id, noteId, request)).build();
    }
}
