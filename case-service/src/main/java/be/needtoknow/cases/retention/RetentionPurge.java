package be.needtoknow.cases.retention;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import be.needtoknow.cases.casefile.CaseFile;
import be.needtoknow.common.audit.AuditTrail;
import be.needtoknow.common.audit.LegalBasis;
import be.needtoknow.common.caller.Caller;
import be.needtoknow.common.caller.OrganisationType;
import io.quarkus.scheduler.Scheduled;

/**
 * A5: personal data is kept only as long as needed. Case files closed for longer than the
 * retention period (a school board's setting, {@code ntk.retention.closed-case-file}) are purged
 * with their care team, notices, notes and the signals taken up into them. Each purge is audited;
 * the audit trail itself is never touched, and stays meaningful because it names pupils by
 * pseudonym and records by id.
 */
@ApplicationScoped
public class RetentionPurge {

    private static final Logger LOG = Logger.getLogger(RetentionPurge.class);
    static final String ACTOR = "retention-job";

    @Inject
    EntityManager em;

    @Inject
    AuditTrail audit;

    @ConfigProperty(name = "ntk.retention.closed-case-file", defaultValue = "P730D")
    Duration retention;

    @Scheduled(every = "${ntk.retention.purge-interval:1h}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        int purged = purgeClosedBefore(OffsetDateTime.now(ZoneOffset.UTC).minus(retention));
        if (purged > 0) {
            LOG.infof("Retention: purged %d case file(s) closed more than %s ago", purged, retention);
        }
    }

    /** Purges the case files closed before the cut-off; returns how many. */
    @Transactional
    public int purgeClosedBefore(OffsetDateTime cutOff) {
        List<CaseFile> expired = CaseFile.list("status = ?1 and closedAt < ?2", CaseFile.Status.CLOSED, cutOff);
        for (CaseFile file : expired) {
            Caller job = new Caller(ACTOR, ACTOR, Set.of(), file.organisationId, OrganisationType.SCHOOL);
            audit.granted(job, new AuditTrail.Access("case-file.purge", file.organisationId, file.pupilId, "case-file",
                    file.id.toString(), "retention", LegalBasis.LEGAL_OBLIGATION));
            em.createQuery("delete from Signal s where s.caseFileId = ?1").setParameter(1, file.id).executeUpdate();
            // Care team, notices and notes go with the file (ON DELETE CASCADE).
            em.createNativeQuery("delete from case_file where id = ?1").setParameter(1, file.id).executeUpdate();
        }
        return expired.size();
    }

}
