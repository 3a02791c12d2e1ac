package be.needtoknow.cases.retention;

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
 * A5: personal data is kept only as long as needed. Each kind of record the school holds has its
 * own retention period, a school board's setting (docs/operations.md, "Retention"):
 * <ul>
 * <li>a case file closed longer than {@code ntk.retention.closed-case-file} goes with its care
 * team, notices, notes and the signals taken up into it;</li>
 * <li>a signal never taken up, reported longer than {@code ntk.retention.untaken-signal} ago;</li>
 * <li>a discipline measure registered (and decided) longer than {@code ntk.retention.discipline-measure} ago;</li>
 * <li>a pupil who left the school (gone from the platform's complete import, {@code pupil.left_at})
 * longer than {@code ntk.retention.left-pupil} ago, with everything the school holds on them: case
 * files (open or closed, with their notes, notices and care teams), signals, discipline measures and
 * access requests;</li>
 * <li>the outbox's sent events ({@link OutboxRetention}).</li>
 * </ul>
 * Each purged thing leaves an audit record (actor {@value RetentionJob#ACTOR}, legal basis legal-obligation)
 * that names the pupil by pseudonym and the thing by id. The audit trail itself is never touched.
 * Rows are locked as they are chosen ({@code FOR UPDATE SKIP LOCKED}), so two runs at once (two
 * replicas) purge and audit each thing once.
 */
@ApplicationScoped
public class RetentionPurge {

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
        Duration closedCaseFile = periods.closedCaseFile();
        Duration untakenSignal = periods.untakenSignal();
        Duration disciplineMeasure = periods.disciplineMeasure();
        Duration leftPupil = periods.leftPupil();
        RetentionJob.run("case file(s) closed", closedCaseFile, () -> purgeClosedBefore(now.minus(closedCaseFile)));
        RetentionJob.run("signal(s) never taken up", untakenSignal, () -> purgeUntakenSignalsBefore(now.minus(untakenSignal)));
        RetentionJob.run("discipline measure(s)", disciplineMeasure, () -> purgeDisciplineMeasuresBefore(now.minus(disciplineMeasure)));
        RetentionJob.run("pupil(s) who left", leftPupil, () -> purgeLeftPupilsBefore(now.minus(leftPupil)));
        RetentionJob.run("sent outbox event(s)", outbox.retention(), () -> outbox.purgeSentBefore(now.minus(outbox.retention())));
    }

    /** Rows of a native query: (id, organisation_id, pupil_id). */
    @SuppressWarnings("unchecked")
    private List<Object[]> rows(String sql, Object... parameters) {
        var query = em.createNativeQuery(sql);
        for (int i = 0; i < parameters.length; i++) {
            query.setParameter(i + 1, parameters[i]);
        }
        return query.getResultList();
    }

    private static List<UUID> ids(List<Object[]> rows) {
        return rows.stream().map(r -> (UUID) r[0]).toList();
    }

    private void audit(List<Object[]> rows, String action, String type) {
        for (Object[] r : rows) {
            audit.granted(RetentionJob.caller((String) r[1]), RetentionJob.purged(action, (String) r[1], (String) r[2], type, r[0]));
        }
    }

    private int delete(String sql, List<?> ids) {
        return ids.isEmpty() ? 0 : em.createNativeQuery(sql).setParameter(1, ids).executeUpdate();
    }

    /** A5: purges the case files closed before the cut-off (with their signals, notes, notices, care team); returns how many files. */
    @Transactional
    public int purgeClosedBefore(OffsetDateTime cutOff) {
        List<Object[]> files = rows("SELECT id, organisation_id, pupil_id FROM case_file "
                + "WHERE status = 'CLOSED' AND closed_at < ?1 FOR UPDATE SKIP LOCKED", cutOff);
        purgeCaseFiles(files);
        return files.size();
    }

    private void purgeCaseFiles(List<Object[]> files) {
        if (files.isEmpty()) {
            return;
        }
        List<UUID> fileIds = ids(files);
        List<Object[]> signals = rows("SELECT id, organisation_id, pupil_id FROM signal WHERE case_file_id IN (?1) FOR UPDATE",
                fileIds);
        audit(files, "case-file.purge", "case-file");
        audit(signals, "signal.purge", "signal");
        delete("DELETE FROM signal WHERE id IN (?1)", ids(signals));
        // Care team, notices and notes go with the file (ON DELETE CASCADE).
        delete("DELETE FROM case_file WHERE id IN (?1)", fileIds);
    }

    /** A5: purges the signals never taken up that were reported before the cut-off; returns how many. */
    @Transactional
    public int purgeUntakenSignalsBefore(OffsetDateTime cutOff) {
        List<Object[]> signals = rows("SELECT id, organisation_id, pupil_id FROM signal "
                + "WHERE status = 'NEW' AND reported_at < ?1 FOR UPDATE SKIP LOCKED", cutOff);
        audit(signals, "signal.purge", "signal");
        delete("DELETE FROM signal WHERE id IN (?1) AND status = 'NEW'", ids(signals));
        return signals.size();
    }

    /**
     * A5: purges the discipline measures both registered and decided before the cut-off (a measure
     * registered late is kept the full period from its registration); returns how many.
     */
    @Transactional
    public int purgeDisciplineMeasuresBefore(OffsetDateTime cutOff) {
        List<Object[]> measures = rows("SELECT id, organisation_id, pupil_id FROM discipline_measure "
                + "WHERE recorded_at < ?1 AND decided_on < ?2 FOR UPDATE SKIP LOCKED", cutOff, cutOff.toLocalDate());
        audit(measures, "discipline-measure.purge", "discipline-measure");
        delete("DELETE FROM discipline_measure WHERE id IN (?1)", ids(measures));
        return measures.size();
    }

    /**
     * A5: purges the pupils who left the school before the cut-off, and everything the school holds
     * on each of them; returns how many pupils. A pupil who came back (the import cleared
     * {@code left_at}) is not touched: the row is locked and its {@code left_at} read again.
     */
    @Transactional
    public int purgeLeftPupilsBefore(OffsetDateTime cutOff) {
        @SuppressWarnings("unchecked")
        List<Object[]> pupils = em.createNativeQuery("SELECT organisation_id, pupil_id FROM pupil "
                + "WHERE left_at < ?1 FOR UPDATE SKIP LOCKED").setParameter(1, cutOff).getResultList();
        for (Object[] p : pupils) {
            String organisationId = (String) p[0];
            String pupilId = (String) p[1];
            String ofPupil = " WHERE organisation_id = ?1 AND pupil_id = ?2 FOR UPDATE";
            purgeCaseFiles(rows("SELECT id, organisation_id, pupil_id FROM case_file" + ofPupil, organisationId, pupilId));
            List<Object[]> signals = rows("SELECT id, organisation_id, pupil_id FROM signal" + ofPupil, organisationId, pupilId);
            List<Object[]> measures = rows("SELECT id, organisation_id, pupil_id FROM discipline_measure" + ofPupil,
                    organisationId, pupilId);
            List<Object[]> requests = rows("SELECT id, organisation_id, pupil_id FROM access_request" + ofPupil,
                    organisationId, pupilId);
            audit(signals, "signal.purge", "signal");
            audit(measures, "discipline-measure.purge", "discipline-measure");
            audit(requests, "access-request.purge", "access-request");
            delete("DELETE FROM signal WHERE id IN (?1)", ids(signals));
            delete("DELETE FROM discipline_measure WHERE id IN (?1)", ids(measures));
            delete("DELETE FROM access_request WHERE id IN (?1)", ids(requests));
            // The pupil is named by pseudonym only: no record id that is the pupil's own id (N2).
            audit.granted(RetentionJob.caller(organisationId), RetentionJob.purged("pupil.purge", organisationId, pupilId, "pupil", null));
            em.createNativeQuery("DELETE FROM pupil WHERE organisation_id = ?1 AND pupil_id = ?2")
                    .setParameter(1, organisationId).setParameter(2, pupilId).executeUpdate();
        }
        return pupils.size();
    }
}
