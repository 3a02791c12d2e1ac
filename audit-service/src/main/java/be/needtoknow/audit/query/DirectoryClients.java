package be.needtoknow.audit.query;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The two directories the access report (T4) names people and organisations from: case-service's
 * staff directory ({@code GET /staff}, the caller's own organisation) and referral-service's
 * recipient directory ({@code GET /recipients}, which lists the schools too). Both are called with
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
}
