package be.needtoknow.cases.access;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import be.needtoknow.cases.access.AccessRequest.Requester;
import be.needtoknow.common.referral.AccessGrant;
import be.needtoknow.common.referral.GrantKey;

/**
 * T4: what referral-service holds on the pupil (the referrals and transfers as sent, their consent
 * records, notices and released feedback), asked when the family opens their link. case-service has
 * verified the link; it vouches for the request with a signed {@link AccessGrant}, and tells
 * referral-service whether the parents ask for a pupil of 12 or more, decided from its own register
 * (M1, M2): referral-service then leaves out what the pupil kept from the parents.
 * <p>
 * Empty when referral-service cannot be reached or refuses: the package is still served and says
 * that the referrals could not be shown, never that there are none.
 */
@ApplicationScoped
public class ReferralRecords {

    private static final Logger LOG = Logger.getLogger(ReferralRecords.class);

    /** The key both services hold (see ReferralGrant); a deployment secret. */
    @Inject
    GrantKey grantKey;

    @Inject
    @RestClient
    ReferralServiceClient referralService;

    @Timeout(value = 8, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, retryOn = ProcessingException.class)
    AccessPackage.Referrals call(String grant) {
        return referralService.pupilRecords(new ReferralServiceClient.Request(grant));
    }

    public Optional<AccessPackage.Referrals> of(AccessRequest request, boolean parentsMayNotSee) {
        String grant = AccessGrant.of(request.id, request.organisationId, request.pupilId,
                request.requestedBy == Requester.PARENTS ? AccessGrant.Requester.PARENTS : AccessGrant.Requester.PUPIL,
                parentsMayNotSee, Instant.now()).sign(grantKey.key());
        try {
            AccessPackage.Referrals answer = call(grant);
            if (answer == null || answer.referrals() == null) {
                LOG.warnf("referral-service gave no referrals for access request %s", request.id);
                return Optional.empty();
            }
            return Optional.of(answer);
        } catch (WebApplicationException e) {
            // Never the grant, nor the link: the request's id and the status only.
            LOG.warnf("referral-service refused the records of access request %s: %d", request.id,
                    e.getResponse().getStatus());
            return Optional.empty();
        } catch (ProcessingException | TimeoutException e) {
            LOG.warnf("referral-service could not be reached for access request %s", request.id);
            return Optional.empty();
        }
    }
}
