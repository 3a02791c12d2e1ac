package be.needtoknow.referrals.family;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import be.needtoknow.common.problem.Problem;

/**
 * T4: the pupil's referrals and transfers for case-service's right-of-access package. No token: the
 * family holds the link, case-service verifies it and signs an {@link be.needtoknow.common.referral.AccessGrant}
 * for this one request; the grant is the credential. A POST, so that the grant never travels in a URL
 * (and so never in an access log).
 */
@Path("/pupil-records")
@PermitAll
@Tag(name = "right of access", description = "What this service holds on a pupil, for the parents' or the pupil's "
        + "right-of-access package (T4)")
@SecurityRequirements // security: [] — no token; case-service's signed access grant is the credential (T4)
public class PupilRecordsResource {

    /** case-service's access grant; its toString leaves the grant out, so that it is never logged. */
    public record PupilRecordsRequest(@NotNull @Size(max = 2000) String grant) {
        @Override
        public String toString() {
            return "PupilRecordsRequest[grant=…]";
        }
    }

    @Inject
    PupilRecords records;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "readPupilRecordsForAccess",
            summary = "The pupil's referrals and transfers as sent, for a right-of-access package",
            description = "For case-service only, with its signed access grant for the parents' or the pupil's "
                    + "request (60 seconds). Every referral or transfer that was sent, with its items as sent, "
                    + "the consent record, the transfer notices' answers and the feedback released for the school. "
                    + "In the parents' package of a pupil of 12 or more, a referral the pupil kept from the parents "
                    + "is left out and leftOut says so (M1). Every read is audited.")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = PupilRecordsView.class)))
    @APIResponse(responseCode = "403", description = "The grant does not verify: forged, expired or malformed (audited)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public PupilRecordsView read(@Valid @NotNull PupilRecordsRequest request) {
        return records.read(request.grant());
    }
}
