package be.needtoknow.cases.access;

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

/** T4: the DPO registers a parent's or a pupil's request for access, and follows it; never its content. */
@Path("/pupils/{pupilId}/access-requests")
@Authenticated
@Tag(name = "right of access", description = "Parents and pupil learn what the school holds (T4)")
@Produces(MediaType.APPLICATION_JSON)
public class AccessRequestResource {

    @Inject
    AccessRequests requests;

    @Inject
    CallerContext caller;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "registerAccessRequest",
            summary = "Register a request for access and issue the requester's link", description = "By the "
            + "school's DPO: who asked (PARENTS, or the PUPIL from 12, M1), when, and how their identity was checked. "
            + "The suite sends the requester's link by e-mail to the addresses the pupil register holds for them "
            + "(the parents', or the pupil's own); the answer says that it went, never the link: the DPO never reads "
            + "the content. 409 no-family-contact when the register holds no address for the requester.")
    @APIResponse(responseCode = "201", description = "The request, and how its link was sent", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AccessRequests.RequestView.class)))
    public Response register(@Parameter(description = "The school's pupil id", example = "pupil-0001")
            @PathParam("pupilId") @Size(max = 64) String pupilId,
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "parents",
                    value = """
                            {"requestedBy": "PARENTS", "requestedAt": "2026-11-20T09:30:00Z", "identityCheck": "eID at the desk"}""")))
            @Valid @NotNull AccessRequests.Register request) {
        return Response.status(Response.Status.CREATED).entity(requests.register(caller.get(), pupilId, request)).build();
    }

    @GET
    @Operation(operationId = "listAccessRequests",
            summary = "The pupil's requests for access", description = "For the school's DPO: when each was made, "
            + "by whom registered, the identity check, the link's expiry and when it was first read; never the "
            + "content and never the link.")
    public List<AccessRequests.RequestView> list(@Parameter(description = "The school's pupil id", example = "pupil-0001")
            @PathParam("pupilId") @Size(max = 64) String pupilId) {
        return requests.list(caller.get(), pupilId);
    }

    @POST
    @Path("/{requestId}/resend")
    @Operation(operationId = "resendAccessLink", summary = "Send the requester a new link",
            description = "By the school's DPO, while the link has not expired: a new link (the old one stops working) "
            + "to the addresses the pupil register holds now for the requester, never to an address given here.")
    @APIResponse(responseCode = "200", description = "The request, and how its new link was sent", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AccessRequests.RequestView.class)))
    public AccessRequests.RequestView resend(@Parameter(description = "The school's pupil id", example = "pupil-0001")
            @PathParam("pupilId") @Size(max = 64) String pupilId,
            @Parameter(description = "The request") @PathParam("requestId") java.util.UUID requestId) {
        return requests.resend(caller.get(), pupilId, requestId);
    }
}
