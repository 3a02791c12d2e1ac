package be.needtoknow.cases.family;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import be.needtoknow.common.identity.CallerContext;
import io.quarkus.security.Authenticated;

/** X, T3: the family channel, as referral-service uses it for a transfer's and a referral's notices. */
@Path("/pupils/{pupilId}/family-messages")
@Authenticated
@Tag(name = "family channel", description = "Links reach the parents and the pupil directly (X, T4)")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class FamilyMessageResource {

    @Inject
    TransferNoticeDelivery delivery;

    @Inject
    CallerContext caller;

    @POST
    @Operation(operationId = "sendFamilyNotice", summary = "Send a transfer's or a referral's notice link to the family",
            description = "Called by referral-service with the counsellor's token and its grant for the transfer or "
            + "referral (kind TRANSFER_NOTICE, the default, or REFERRAL_NOTICE) "
            + "(which no caller can make): the link goes by e-mail to every address the pupil register holds for the "
            + "parents or the pupil, one message each. The answer says that it went, to how many addresses and when; "
            + "never an address or the link. 409 no-family-contact when the register holds no address.")
    @APIResponse(responseCode = "201", description = "Sent", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Delivery.class)))
    public Response send(@Parameter(description = "The school's pupil id", example = "pupil-0001")
            @PathParam("pupilId") @Size(max = 64) String pupilId, @Valid @NotNull TransferNoticeDelivery.Request request) {
        return Response.status(Response.Status.CREATED).entity(delivery.deliver(caller.get(), pupilId, request)).build();
    }
}
