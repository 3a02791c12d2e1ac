package be.needtoknow.audit.query;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import be.needtoknow.common.problem.ProblemException;

/**
 * M1, GDPR art. 15(4): the access report for the parents of a pupil of 12 or more leaves out the
 * records about what the pupil kept from them, as their access package does: the pupil's conversation
 * notes, own requests and messages (case-service) and the referrals whose consent says the parents are
 * not to be informed (referral-service). Each service tells, to the DPO's own token, which of its
 * resources that is and on what ground; the report counts what it left out per ground and never says
 * what. When a service cannot tell, the parents' report is not made (it fails closed).
 */
@ApplicationScoped
public class ParentsCopy {

    private static final Logger LOG = Logger.getLogger(ParentsCopy.class);

    @Inject
    @RestClient
    DirectoryClients.CaseServiceKept cases;

    @Inject
    @RestClient
    DirectoryClients.ReferralServiceKept referrals;

    @Inject
    Directory directory;

    /** Which records the parents' report leaves out. */
    public record Filter(List<DirectoryClients.KeptEntry> kept) {

        /** The ground on which this trail record is left out, or null when the parents may see it. */
        public String groundOf(JsonNode record) {
            String type = record.path("resourceType").asText(null);
            String id = record.path("resourceId").asText(null);
            if (type == null || id == null) {
                return null;
            }
            for (DirectoryClients.KeptEntry k : kept) {
                // A referral's records name it, or a part of it ("<id>/notes/<note>").
                if (type.equals(k.resourceType()) && (id.equals(k.resourceId()) || id.startsWith(k.resourceId() + "/"))) {
                    return k.ground();
                }
            }
            return null;
        }
    }

    /** Outside the report's transaction: the REST clients finish on other threads, which must not join it. */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public Filter of(String pupilId) {
        String authorization = directory.authorization();
        List<DirectoryClients.KeptEntry> kept = new ArrayList<>();
        try {
            if (authorization == null) {
                throw new IllegalStateException("no access token to ask with");
            }
            kept.addAll(cases.get(pupilId, authorization).resources());
            kept.addAll(referrals.get(pupilId, authorization).resources());
        } catch (RuntimeException e) {
            // No token or URL in the log line.
            LOG.warnf("What the parents' copy leaves out could not be asked: %s", e.getClass().getSimpleName());
            throw ProblemException.unavailable("parents-report-unavailable", "The report for the parents leaves "
                    + "out what a pupil of 12 or more kept from them (M1), and case-service or referral-service could "
                    + "not tell now what that is. Try again later; the report for the pupil, or the DPO's own, can be "
                    + "made now.");
        }
        return new Filter(List.copyOf(kept));
    }
}
