package be.needtoknow.referrals.retention;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import be.needtoknow.common.audit.AuditTrail;
import be.needtoknow.common.retention.OutboxRetention;
import be.needtoknow.common.retention.RetentionJob;
import be.needtoknow.common.retention.RetentionPeriods;
import io.quarkus.scheduler.Scheduled;

/**
 * A5: personal data is kept only as long as needed, in referral-service too (docs/operations.md, "Retention"):
 * <ul>
 * <li>a referral or transfer that ended (CLOSED, WITHDRAWN, or DECLINED by the recipient;
 * {@code referral.closed_at}, kept by a trigger, V7) longer than {@code ntk.retention.ended-referral}
 * ago, and on which no feedback was released since, is purged with its items, consent record,
 * urgent-danger justification, feedback and transfer notices (with their links);</li>
 * <li>the outbox's sent events ({@link OutboxRetention}): a sent referral's payload carries the
 * pupil's identity and note excerpts.</li>
 * </ul>
 * Each purged thing leaves an audit record for the referring school (actor {@value RetentionJob#ACTOR}, legal
 * basis legal-obligation), naming the pupil by pseudonym and the thing by id; the audit trail itself
 * is never touched. Rows are locked as they are chosen ({@code FOR UPDATE SKIP LOCKED}), so two runs
 * at once purge and audit each referral once.
 */
@ApplicationScoped
public class ReferralRetention {

    @Inject
    EntityManager em;

    @Inject
    AuditTrail audit;

    @Inject
    OutboxRetention outbox;

    @Inject
    RetentionPeriods periods;

    @Scheduled(every = "${ntk.retention.purge-interval:1h}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        Duration endedReferral = periods.endedReferral();
        RetentionJob.run("ended referral(s)", endedReferral, () -> purgeEndedBefore(now.minus(endedReferral)));
        RetentionJob.run("sent outbox event(s)", outbox.retention(), () -> outbox.purgeSentBefore(now.minus(outbox.retention())));
    }

    private void audit(String action, String schoolId, String pupilId, String type, List<UUID> ids) {
        audit.granted(RetentionJob.caller(schoolId),
                ids.stream().map(id -> RetentionJob.purged(action, schoolId, pupilId, type, id)).toList());
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
