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

/**
 * Asks case-service for a note chosen for a referral's draft, with the caller's token and this
 * service's grant for the referral (N1); its refusals come back as they are. case-service audits
 * this as a read of the note; the disclosure is recorded here when the referral is sent.
 */
@ApplicationScoped
public class CaseFileNotes {

    @Inject
    @RestClient
    CaseServiceClient caseService;

    @Timeout(value = 8, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, retryOn = ProcessingException.class)
    CaseServiceClient.NoteForReferral call(UUID caseFileId, UUID noteId, CaseServiceClient.ForReferral request) {
        return caseService.forReferral(caseFileId, noteId, request);
    }

    public CaseServiceClient.NoteForReferral forReferral(UUID caseFileId, UUID noteId, UUID referralId, String grant) {
        try {
            return call(caseFileId, noteId, new CaseServiceClient.ForReferral(referralId, grant));
        } catch (WebApplicationException e) {
            throw CaseServiceCalls.refused(e, "case-service refused to hand over note " + noteId + ".");
        } catch (ProcessingException | org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException e) {
            throw CaseServiceCalls.unavailable("the notes");
        }
    }
}
