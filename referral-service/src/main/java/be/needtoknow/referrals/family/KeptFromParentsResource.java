package be.needtoknow.referrals.family;

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

/** M1: the referrals a pupil of 12 or more kept from the parents, for the DPO's access report; never content. */
@Path("/pupils/{pupilId}/kept-from-parents")
@Authenticated
@Tag(name = "right of access")
@Produces(MediaType.APPLICATION_JSON)
public class KeptFromParentsResource {

    @Inject
    PupilRecords records;

    @Inject
    CallerContext caller;

    @GET
    @Operation(operationId = "getReferralsKeptFromParents", summary = "The referrals the parents' copy leaves out (M1)",
            description = "For the school's DPO: the referrals whose consent record says the parents are not to be "
            + "informed (the pupil's decision from 12), as the audit trail names them (resource type referral and "
            + "id) with the ground; never content. The access report for the parents leaves out their records.")
    public PupilRecords.KeptFromParents get(@Parameter(description = "The school's pupil id", example = "pupil-0001")
            @PathParam("pupilId") @Size(max = 64) String pupilId) {
        return records.keptFromParents(caller.get(), pupilId);
    }
}
