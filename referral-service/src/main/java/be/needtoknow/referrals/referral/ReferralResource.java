package be.needtoknow.referrals.referral;

import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import be.needtoknow.common.identity.CallerContext;
import be.needtoknow.common.problem.Problem;
import be.needtoknow.referrals.consent.ConsentRecord;
import be.needtoknow.referrals.referral.Transitions.Action;
import io.quarkus.security.Authenticated;

@Path("/referrals")
@Authenticated
@Tag(name = "referrals", description = "Minimised, consented referrals to the CLB and external care")
@Produces(MediaType.APPLICATION_JSON)
public class ReferralResource {

    @Inject
    Referrals referrals;

    @Inject
    CallerContext caller;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "draftReferral",
            summary = "Start a referral (a draft)", description = "By a pupil counsellor or care coordinator: to "
            + "the CLB that serves the school, or to a directly accessible care service (C3). The pupil must be in "
            + "the school's pupil register (case-service, asked with your token: 404 otherwise); the age-12 "
            + "presumption (M1, M2) is decided on the register's birth date, so the body takes none: "
            + "pupilBirthDate is refused with 400 unknown-field.")
    @APIResponse(responseCode = "201", description = "The referral, a draft", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ReferralView.class)))
    public Response create(@RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(
            name = "to the CLB", value = """
                    {"pupilId": "pupil-0001", "recipientId": "clb-gent"}"""))) @Valid @NotNull ReferralRequests.Create request) {
        return Response.status(Response.Status.CREATED).entity(referrals.create(caller.get(), request)).build();
    }

    @GET
    @Operation(operationId = "listReferrals",
            summary = "Your referrals", description = "The school's own; for a recipient, those sent to it.")
    public List<ReferralView> list() {
        return referrals.list(caller.get());
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "readReferral",
            summary = "One referral", description = "Its owner sees all of it: the items, the family's notices (to whom "
            + "and how each link was sent, never the link: T1, X) and, once withdrawn, who withdrew it (SCHOOL, or the "
            + "PUPIL or the PARENTS through their notice: T3), when, and the family's reason if given. The recipient it "
            + "was sent to sees what it was sent and the status (C1). Anyone else: 404.")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ReferralView.class)))
    public ReferralView read(@PathParam("id") UUID id) {
        return referrals.get(caller.get(), id);
    }

    @PUT
    @Path("/{id}/items")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "chooseReferralItems",
            summary = "Choose the items, one by one, each with its purpose (N1)",
            description = "Changing the items "
            + "sets the referral back to draft: consent covers exactly the items it was given for (T2). A NOTE item is "
            + "asked from case-service with the caller's token and this service's grant for the draft (case-service "
            + "audits it as a read, \"preparing a referral\"); choosing it discloses nothing yet.")
    public ReferralView items(@PathParam("id") UUID id, @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "a question", value = """
                    {"items": [{"type": "QUESTION", "purpose": "what we ask the CLB", "text": "Can you talk with Pupil A about sleep?"}]}""")))
            @Valid @NotNull ReferralRequests.Items request) {
        return referrals.setItems(caller.get(), id, request);
    }

    @GET
    @Path("/{id}/preview")
    @Operation(operationId = "previewReferral",
            summary = "Exactly what the recipient will receive", description = "Byte for byte the data of the event.")
    public String preview(@PathParam("id") UUID id) {
        return referrals.preview(caller.get(), id);
    }

    @POST
    @Path("/{id}/consent")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "recordReferralConsent",
            summary = "Record what was discussed with the pupil and the parents, and their answers (T1)",
            description = "Bound to the current items. From 12 the pupil's own consent counts (M1); below, the parents "
                    + "consent and the child is heard (M2), the age taken from the pupil register in case-service (503 when it "
                    + "cannot be reached; nothing is changed); an override needs a reason (M3). For a transfer (X), the "
                    + "parents and a pupil capable of discernment each get a notice whose link case-service mails to "
                    + "their contacts as the school platform imported them; the answer says how each was sent, never "
                    + "the link. case-service's refusals come back as they are (409 no-family-contact when no address "
                    + "is registered for one of them, 503 when it or its mail server cannot be reached) and nothing is "
                    + "changed.")
    public ReferralView consent(@PathParam("id") UUID id, @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "both agreed", value = """
                    {"consulted": [{"party": "PUPIL", "when": "2026-11-24T10:00:00Z", "how": "talk", "answer": "AGREED"},
                                   {"party": "PARENTS", "when": "2026-11-24T18:00:00Z", "how": "phone call", "answer": "AGREED"}],
                     "parentsNotInformed": false}"""))) @Valid @NotNull ConsentRecord consent) {
        return referrals.recordConsent(caller.get(), id, consent);
    }

    @POST
    @Path("/{id}/notices/resend")
    @Operation(operationId = "resendTransferNotices",
            summary = "Send the parents' and the pupil's links again, each with a new secret (X, T3)",
            description = "By the referral's owner. A transfer's notices while they may be answered: not once it is "
                    + "sent or withdrawn, its items changed or the period ended (409). A referral's notices once it was "
                    + "sent with consent (409 when none was issued; audited as referral.notice.resend). Each current "
                    + "notice gets a new secret, so "
                    + "the link sent before no longer opens; case-service mails the new one to the same contacts, as the "
                    + "school platform imported them (the request takes no body, so no address of the caller's). Audited "
                    + "as transfer.notice.resend. The answer says how each was sent, never the link; case-service's "
                    + "refusals come back as they are (409 no-family-contact, 503 when it or its mail server cannot be "
                    + "reached) and nothing is changed.")
    @APIResponse(responseCode = "200", description = "The notices, sent again", content = @Content(
            mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.ARRAY, implementation = TransferNotices.NoticeView.class)))
    @APIResponse(responseCode = "404", description = "Not a referral of yours", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "No notice that may still be answered, or no address registered "
            + "for the parents or the pupil (no-family-contact)", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public List<TransferNotices.NoticeView> resendNotices(@PathParam("id") UUID id) {
        return referrals.resendNotices(caller.get(), id);
    }

    @POST
    @Path("/{id}/urgent-danger")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "declareUrgentDanger",
            summary = "Ready to send without consent, in urgent danger to the pupil",
            description = "Only towards "
            + "a CLB or care service, with a written justification; listed for the DPO's review (legal basis "
            + "vital-interest).")
    public ReferralView urgentDanger(@PathParam("id") UUID id, @Valid @NotNull ReferralRequests.UrgentDanger request) {
        return referrals.urgentDanger(caller.get(), id, request);
    }

    @POST
    @Path("/{id}/send")
    @Operation(operationId = "sendReferral", summary = "Send the referral to its recipient", description = "Published "
            + "to the recipient's own topic, ntk.referrals.<recipient>.v1. In the same transaction, each case-file "
            + "note among the items is recorded as disclosed (audit action "
            + "note.disclose, resource referral/<id>/notes/<noteId>, purpose \"referral to <recipient>\", the referral's "
            + "legal basis: consent, or vital-interest after urgent danger) (A1, T2). A referral sent with consent "
            + "also has case-service mail the family a notice link (T1, T3): to the pupil when the pupil's consent "
            + "counted (M1), else to the parents (M2), and to the parents of a pupil of 12 or more too unless the pupil "
            + "asked that they not be informed (M1); the answer shows to whom and how each was sent, never the link. "
            + "When case-service refuses (409 no-family-contact, 503) the send is refused and nothing changes.")
    public ReferralView send(@PathParam("id") UUID id) {
        return referrals.send(caller.get(), id);
    }

    @POST
    @Path("/{id}/withdraw")
    @Operation(operationId = "withdrawReferral",
            summary = "Withdraw the referral", description = "The recipient is told (T3).")
    public ReferralView withdraw(@PathParam("id") UUID id) {
        return referrals.withdraw(caller.get(), id);
    }

    @POST
    @Path("/{id}/receipt")
    @Operation(operationId = "acknowledgeReferral", summary = "Acknowledge receipt (recipient)")
    public ReferralView receipt(@PathParam("id") UUID id) {
        return referrals.respond(caller.get(), id, Action.ACKNOWLEDGE, null);
    }

    @POST
    @Path("/{id}/acceptance")
    @Operation(operationId = "acceptReferral", summary = "Accept (recipient)")
    public ReferralView accept(@PathParam("id") UUID id) {
        return referrals.respond(caller.get(), id, Action.ACCEPT, null);
    }

    @POST
    @Path("/{id}/decline")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "declineReferral", summary = "Decline, with a reason (recipient)")
    public ReferralView decline(@PathParam("id") UUID id, @Valid @NotNull ReferralRequests.Decline request) {
        return referrals.respond(caller.get(), id, Action.DECLINE, request.reason());
    }

    @POST
    @Path("/{id}/feedback")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "releaseReferralFeedback",
            summary = "Release feedback for the school (recipient)", description = "C2: only what the recipient "
            + "explicitly releases (releasedForSchool: true) reaches the school.")
    @APIResponse(responseCode = "201", description = "The feedback, released", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Feedback.View.class)))
    public Response releaseFeedback(@PathParam("id") UUID id, @Valid @NotNull ReferralRequests.Feedback request) {
        return Response.status(Response.Status.CREATED).entity(referrals.releaseFeedback(caller.get(), id, request)).build();
    }

    @GET
    @Path("/{id}/feedback")
    @Operation(operationId = "listReferralFeedback",
            summary = "The feedback released for the school", description = "For the referring counsellor.")
    public List<Feedback.View> feedback(@PathParam("id") UUID id) {
        return referrals.feedback(caller.get(), id);
    }

    @POST
    @Path("/{id}/close")
    @Operation(operationId = "closeReferral", summary = "Close (recipient)")
    public ReferralView close(@PathParam("id") UUID id) {
        return referrals.respond(caller.get(), id, Action.CLOSE, null);
    }
}
