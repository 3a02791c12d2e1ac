package be.needtoknow.cases.access;

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

/** M1: what the parents' copy of a pupil's records leaves out, for the DPO's access report; never content. */
@Path("/pupils/{pupilId}/kept-from-parents")
@Authenticated
@Tag(name = "right of access", description = "Parents and pupil learn what the school holds (T4)")
@Produces(MediaType.APPLICATION_JSON)
public class KeptFromParentsResource {

    @Inject
    AccessRequests requests;

    @Inject
    CallerContext caller;

    @GET
    @Operation(operationId = "getKeptFromParents", summary = "What the parents' copy leaves out (M1)",
            description = "For the school's DPO: from 12 the pupil's conversation notes are the pupil's to tell the "
            + "parents, so the parents' access package and access report leave them out. The trail's resource "
            + "(type and id) of each, and the ground; never content. Empty for a pupil under 12.")
    public AccessRequests.KeptFromParents get(@Parameter(description = "The school's pupil id", example = "pupil-0001")
            @PathParam("pupilId") @Size(max = 64) String pupilId) {
        return requests.keptFromParents(caller.get(), pupilId);
    }
}
