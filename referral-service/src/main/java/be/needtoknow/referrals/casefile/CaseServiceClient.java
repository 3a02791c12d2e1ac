package be.needtoknow.referrals.casefile;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * case-service's note disclosure (architecture.md, "Between services"): called with the caller's
 * own token, so that case-service, which owns the note, checks the right to read it and its
 * eligibility, and audits the disclosure.
 */
@RegisterRestClient(configKey = "case-service")
@RegisterClientHeaders
@Path("/case-files")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface CaseServiceClient {

    record DiscloseRequest(String recipientId, String purpose) {
    }

    record Disclosure(UUID noteId, String pupilId, String kind, OffsetDateTime writtenAt, String text) {
    }

    @POST
    @Path("/{caseFileId}/notes/{noteId}/disclosures")
    Disclosure disclose(@PathParam("caseFileId") UUID caseFileId, @PathParam("noteId") UUID noteId, DiscloseRequest request);
}
