package be.needtoknow.referrals.retention;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import be.needtoknow.common.audit.AuditTrail;
import be.needtoknow.common.audit.LegalBasis;
import be.needtoknow.common.caller.Caller;
import be.needtoknow.common.caller.OrganisationType;
import be.needtoknow.common.outbox.OutboxRetention;
import io.quarkus.scheduler.Scheduled;

/**
 * A5: personal data is kept only as long as needed, in referral-service too (README, "Retention"):
 * <ul>
 * <li>a referral or transfer that ended (CLOSED, WITHDRAWN, or DECLINED by the recipient;
 * {@code referral.closed_at}, kept by a trigger, V7) longer than {@code ntk.retention.ended-referral}
 * ago, and on which no feedback was released since, is purged with its items, consent record,
 * urgent-danger justification, feedback and transfer notices (with their links);</li>
 * <li>the outbox's sent events ({@link OutboxRetention}): a sent referral's payload carries the
 * pupil's identity and note excerpts.</li>
 * </ul>
 * Each purged thing leaves an audit record for the referring school (actor {@value #ACTOR}, legal
 * basis legal-obligation), naming the pupil by pseudonym and the thing by id; the audit trail itself
 * is never touched. Rows are locked as they are chosen ({@code FOR UPDATE SKIP LOCKED}), so two runs
 * at once purge and audit each referral once.
 */
@ApplicationScoped
public class ReferralRetention {

    private static final Logger LOG = Logger.getLogger(ReferralRetention.class);
    static final String ACTOR = "retention-job";
    private static final String PURPOSE = "retention";

    @Inject
    EntityManager em;

    @Inject
    AuditTrail audit;

    @Inject
    OutboxRetention outbox;

    @ConfigProperty(name = "ntk.retention.ended-referral", defaultValue = "P730D")
    Duration endedReferral;

    @Scheduled(every = "${ntk.retention.purge-interval:1h}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        run("ended referral(s)", endedReferral, () -> purgeEndedBefore(now.minus(endedReferral)));
        run("sent outbox event(s)", outbox.retention(), () -> outbox.purgeSentBefore(now.minus(outbox.retention())));
    }

    /** One kind's purge; a failure is logged (no content, no ids) and the next kind still runs. */
    private static void run(String what, Duration period, Supplier<Integer> purge) {
        try {
            int purged = purge.get();
            if (purged > 0) {
                LOG.infof("Retention: purged %d %s more than %s ago", purged, what, period);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Retention: the purge of %s failed (will retry at the next run): %s", what, e.getClass().getName());
        }
    }

    private void audit(String action, String schoolId, String pupilId, String type, List<UUID> ids) {
        Caller job = new Caller(ACTOR, ACTOR, Set.of(), schoolId, OrganisationType.SCHOOL);
        audit.granted(job, ids.stream().map(id -> new AuditTrail.Access(action, schoolId, pupilId, type, id.toString(),
                PURPOSE, LegalBasis.LEGAL_OBLIGATION)).toList());
    }

    @SuppressWarnings("unchecked")
    private List<UUID> idsOf(String table, UUID referral) {
        return em.createNativeQuery("SELECT id FROM " + table + " WHERE referral_id = ?1").setParameter(1, referral)
                .getResultList();
    }

    /**
     * A5: purges the referrals and transfers that ended before the cut-off and got no feedback since;
     * returns how many.
     */
    @Transactional
    public int purgeEndedBefore(OffsetDateTime cutOff) {
        @SuppressWarnings("unchecked")
        List<Object[]> ended = em.createNativeQuery("SELECT r.id, r.school_id, r.pupil_id FROM referral r "
                + "WHERE r.status IN ('CLOSED', 'WITHDRAWN', 'DECLINED') AND r.closed_at < ?1 "
                + "AND NOT EXISTS (SELECT 1 FROM referral_feedback f WHERE f.referral_id = r.id AND f.released_at >= ?1) "
                + "FOR UPDATE OF r SKIP LOCKED").setParameter(1, cutOff).getResultList();
        for (Object[] r : ended) {
            UUID id = (UUID) r[0];
            String school = (String) r[1];
            String pupil = (String) r[2];
            List<UUID> feedback = idsOf("referral_feedback", id);
            List<UUID> notices = idsOf("transfer_notice", id);
            audit("referral.purge", school, pupil, "referral", List.of(id));
            audit("referral-feedback.purge", school, pupil, "referral-feedback", feedback);
            audit("transfer-notice.purge", school, pupil, "transfer-notice", notices);
            em.createNativeQuery("DELETE FROM referral_feedback WHERE referral_id = ?1").setParameter(1, id).executeUpdate();
            em.createNativeQuery("DELETE FROM transfer_notice WHERE referral_id = ?1").setParameter(1, id).executeUpdate();
            em.createNativeQuery("DELETE FROM referral WHERE id = ?1").setParameter(1, id).executeUpdate();
        }
        return ended.size();
    }
}
