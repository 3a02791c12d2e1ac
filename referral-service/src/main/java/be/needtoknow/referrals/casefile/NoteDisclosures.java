package be.needtoknow.referrals.casefile;

import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** Asks case-service for a note, with the caller's token; its refusals come back as they are. */
@ApplicationScoped
public class NoteDisclosures {

    @Inject
    @RestClient
    CaseServiceClient caseService;

    @Timeout(value = 8, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, retryOn = ProcessingException.class)
    CaseServiceClient.Disclosure call(UUID caseFileId, UUID noteId, CaseServiceClient.DiscloseRequest request) {
        return caseService.disclose(caseFileId, noteId, request);
    }

    public CaseServiceClient.Disclosure disclose(UUID caseFileId, UUID noteId, String recipientId, String purpose) {
        try {
            return call(caseFileId, noteId, new CaseServiceClient.DiscloseRequest(recipientId, purpose));
        } catch (WebApplicationException e) {
            throw CaseServiceCalls.refused(e, "case-service refused to disclose note " + noteId + ".");
        } catch (ProcessingException | org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException e) {
            throw CaseServiceCalls.unavailable("the notes");
        }
    }
}
