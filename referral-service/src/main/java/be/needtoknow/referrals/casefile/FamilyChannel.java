package be.needtoknow.referrals.casefile;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import be.needtoknow.common.problem.ProblemException;

/**
 * X: the family's own channel. The parents and the pupil check the school's action, so their link
 * (whose secret is their credential) must reach them and never the staff member who prepared the
 * transfer: case-service holds the family's contacts (imported with the pupil register), mails the
 * link, records what it sent and audits it. Asked with the caller's token and this service's grant
 * for the referral (N1); its refusals come back as they are (403 no valid grant, 404 a pupil not of
 * the caller's school, 409 {@code no-family-contact}, 503 mail server unreachable), so that the
 * request that issued the link rolls back and nothing is stored.
 * <p>
 * A delivery must not be sent twice: only a connection that was never made is tried again; a
 * request that reached case-service (a 5xx, a connection closed or a timeout after it was sent) is
 * not, since the family may already have the mail.
 */
@ApplicationScoped
public class FamilyChannel {

    /** The kind of message case-service sends for a transfer's notice. */
    public static final String TRANSFER_NOTICE = "TRANSFER_NOTICE";
    /** The kind of message case-service sends for a referral's notice to the family (T1, T3, M1, M2). */
    public static final String REFERRAL_NOTICE = "REFERRAL_NOTICE";

    @Inject
    @RestClient
    CaseServiceClient caseService;

    /** What case-service sent, as the school may see it: the channel, how many addresses, when, in words. */
    public record Delivered(UUID messageId, String channel, int addresses, java.time.OffsetDateTime sentAt, String summary) {
    }

    /** A connection that was never made: case-service cannot have sent anything, so it may be tried again. */
    static final class NotConnected extends RuntimeException {
        NotConnected(ProcessingException cause) {
            super("case-service could not be connected to", cause, false, false);
        }
    }

    @Timeout(value = 8, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, retryOn = NotConnected.class)
    CaseServiceClient.Delivery call(String pupilId, CaseServiceClient.FamilyMessage message) {
        try {
            return caseService.familyMessage(pupilId, message);
        } catch (ProcessingException e) {
            if (neverConnected(e)) {
                throw new NotConnected(e);
            }
            throw e;
        }
    }

    private static boolean neverConnected(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Delivers a link to the family of this referral's pupil.
     *
     * @param addressee {@code PARENTS} or {@code PUPIL}
     * @param path      the link's path, with its secret: it leaves this service only here
     * @throws ProblemException case-service's refusal as it is, or 503 when it cannot be reached
     */
    public Delivered deliver(String pupilId, UUID referralId, String grant, String addressee, String path) {
        return deliver(pupilId, referralId, grant, TRANSFER_NOTICE, addressee, path);
    }

    /**
     * As {@link #deliver(String, UUID, String, String, String)}, for a message of this kind.
     *
     * @param kind {@link #TRANSFER_NOTICE} or {@link #REFERRAL_NOTICE}
     */
    public Delivered deliver(String pupilId, UUID referralId, String grant, String kind, String addressee, String path) {
        CaseServiceClient.Delivery answer;
        try {
            answer = call(pupilId, new CaseServiceClient.FamilyMessage(referralId, grant, kind, addressee, path));
        } catch (WebApplicationException e) {
            throw CaseServiceCalls.refused(e, "case-service refused to deliver the notice to the "
                    + addressee.toLowerCase() + "; nothing was changed.");
        } catch (NotConnected | ProcessingException | org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException e) {
            throw CaseServiceCalls.unavailable("the family's contacts");
        }
        if (answer == null || answer.sentAt() == null || answer.channel() == null || !addressee.equals(answer.addressee())) {
            // Never record a delivery on a guess: an answer that does not say what was sent is no answer.
            throw ProblemException.unavailable("case-service-unavailable",
                    "case-service gave no account of the notice's delivery; nothing was changed.");
        }
        return new Delivered(answer.id(), answer.channel(), answer.addresses(), answer.sentAt(), answer.summary());
    }
}
