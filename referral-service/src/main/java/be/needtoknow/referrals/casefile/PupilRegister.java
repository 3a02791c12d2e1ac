package be.needtoknow.referrals.casefile;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import be.needtoknow.common.problem.ProblemException;

/**
 * M1, M2: whose consent counts is decided on the birth date in case-service's pupil register (as the
 * school's platform imported it), never on one a caller types. Asked with the caller's token, so
 * that case-service checks that the caller is a referrer of the pupil's school and audits the read;
 * its refusals (404 for a pupil who is not of the caller's school) come back as they are.
 */
@ApplicationScoped
public class PupilRegister {

    @Inject
    @RestClient
    CaseServiceClient caseService;

    @Timeout(value = 8, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, retryOn = ProcessingException.class)
    CaseServiceClient.Discernment call(String pupilId) {
        return caseService.discernment(pupilId);
    }

    public LocalDate birthDate(String pupilId) {
        try {
            CaseServiceClient.Discernment answer = call(pupilId);
            if (answer == null || answer.birthDate() == null || !pupilId.equals(answer.pupilId())) {
                // Never decide M1 on a guess: an answer without the pupil's birth date is no answer.
                throw ProblemException.unavailable("case-service-unavailable",
                        "case-service gave no birth date for this pupil; nothing was changed.");
            }
            return answer.birthDate();
        } catch (WebApplicationException e) {
            throw CaseServiceCalls.refused(e, "case-service refused to tell the birth date of pupil '" + pupilId + "'.");
        } catch (ProcessingException | org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException e) {
            throw CaseServiceCalls.unavailable("the pupil register");
        }
    }
}
