package be.needtoknow.common.retention;

import java.time.Duration;
import java.util.Set;
import java.util.function.IntSupplier;

import org.jboss.logging.Logger;

import be.needtoknow.common.audit.AuditTrail;
import be.needtoknow.common.audit.LegalBasis;
import be.needtoknow.common.caller.Caller;
import be.needtoknow.common.caller.OrganisationType;

/**
 * What every service's retention job (A5) shares: the actor its purges are audited under, the audit
 * record of one purged thing, and how one kind of purge runs.
 */
public final class RetentionJob {

    /** The actor of every purge's audit record. */
    public static final String ACTOR = "retention-job";
    private static final String PURPOSE = "retention";
    private static final Logger LOG = Logger.getLogger(RetentionJob.class);

    private RetentionJob() {
    }

    /** The job, acting for an organisation (the one whose record it purges). */
    public static Caller caller(String organisationId) {
        return new Caller(ACTOR, ACTOR, Set.of(), organisationId, OrganisationType.SCHOOL);
    }

    /** The audit record of one purged thing: pupil by id (pseudonymised by the trail), thing by id. */
    public static AuditTrail.Access purged(String action, String organisationId, String pupilId, String type, Object id) {
        return new AuditTrail.Access(action, organisationId, pupilId, type, id == null ? null : id.toString(), PURPOSE,
                LegalBasis.LEGAL_OBLIGATION);
    }

    /** One kind's purge; a failure is logged (no content, no ids) and the caller's next kind still runs. */
    public static void run(String what, Duration period, IntSupplier purge) {
        try {
            int purged = purge.getAsInt();
            if (purged > 0) {
                LOG.infof("Retention: purged %d %s more than %s ago", purged, what, period);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Retention: the purge of %s failed (will retry at the next run): %s", what, e.getClass().getName());
        }
    }
}
