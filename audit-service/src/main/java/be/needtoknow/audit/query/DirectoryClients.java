package be.needtoknow.audit.query;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The services the access report (T4) asks: the two directories it names people and organisations from: case-service's
 * staff directory ({@code GET /staff}, the caller's own organisation) and referral-service's
 * recipient directory ({@code GET /recipients}, which lists the schools too), and for the parents' report
 * what each service's copy for the parents leaves out ({@code GET /pupils/{id}/kept-from-parents}, M1). All are called with
 * the DPO's own token, so that the services decide and audit as for any other caller.
 */
public final class DirectoryClients {

    private DirectoryClients() {
    }

    /** One staff member of case-service's directory. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record StaffEntry(String username, String name, List<String> functions) {
    }

    /** One organisation of referral-service's directory: type CLB, CARE or SCHOOL. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RecipientEntry(String id, String name, String type) {
    }

    @RegisterRestClient(configKey = "case-service")
    @Path("/staff")
    public interface Staff {
        @GET
        @Produces(MediaType.APPLICATION_JSON)
        List<StaffEntry> list(@HeaderParam("Authorization") String authorization);
    }

    @RegisterRestClient(configKey = "referral-service")
    @Path("/recipients")
    public interface Recipients {
        @GET
        @Produces(MediaType.APPLICATION_JSON)
        List<RecipientEntry> list(@HeaderParam("Authorization") String authorization);
    }

    /** One resource of the trail that the parents' copy leaves out, and the ground (M1). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record KeptEntry(String resourceType, String resourceId, String ground) {
    }

    /** What a service's copy for the parents leaves out. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Kept(List<KeptEntry> resources) {
    }

    @RegisterRestClient(configKey = "case-service")
    @Path("/pupils/{pupilId}/kept-from-parents")
    public interface CaseServiceKept {
        @GET
        @Produces(MediaType.APPLICATION_JSON)
        Kept get(@PathParam("pupilId") String pupilId, @HeaderParam("Authorization") String authorization);
    }

    @RegisterRestClient(configKey = "referral-service")
    @Path("/pupils/{pupilId}/kept-from-parents")
    public interface ReferralServiceKept {
        @GET
        @Produces(MediaType.APPLICATION_JSON)
        Kept get(@PathParam("pupilId") String pupilId, @HeaderParam("Authorization") String authorization);
    }
}
