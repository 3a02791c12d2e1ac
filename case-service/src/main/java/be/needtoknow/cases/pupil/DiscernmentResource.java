package be.needtoknow.cases.pupil;

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

@Path("/pupils/{pupilId}/discernment")
@Authenticated
@Tag(name = "pupils")
@Produces(MediaType.APPLICATION_JSON)
public class DiscernmentResource {

    @Inject
    PupilDiscernment discernment;

    @Inject
    CallerContext caller;

    @GET
    @Operation(operationId = "getPupilDiscernment",
            summary = "The pupil's birth date, for whose consent counts", description = "For the school's pupil "
            + "counsellors and care coordinators (referral-service asks with their token when they prepare a "
            + "referral or record consent): the birth date from the pupil register, on which the age-12 presumption "
            + "of discernment is decided. Nothing else of the pupil. 404 for a pupil that is not of your school.")
    public PupilDiscernment.Answer read(@Parameter(description = "The school's pupil id", example = "pupil-0001")
            @PathParam("pupilId") @Size(max = 64) String pupilId) {
        return discernment.read(caller.get(), pupilId);
    }
}
