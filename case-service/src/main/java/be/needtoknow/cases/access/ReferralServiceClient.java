package be.needtoknow.cases.access;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * T4: referral-service's records of a pupil, for the right-of-access package. No token: the family
 * holds the link and case-service verified it; the signed access grant is the credential.
 */
@RegisterRestClient(configKey = "referral-service")
@Path("/")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface ReferralServiceClient {

    /** The access grant; never logged, so {@link #toString()} leaves it out. */
    record Request(String grant) {
        @Override
        public String toString() {
            return "Request[grant=…]";
        }
    }

    @POST
    @Path("/pupil-records")
    AccessPackage.Referrals pupilRecords(Request request);
}
