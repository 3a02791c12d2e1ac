package be.needtoknow.audit.tree;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.annotation.JsonInclude;

import be.needtoknow.common.database.DatabaseStartup;
import io.quarkus.scheduler.Scheduled;

/**
 * The monitor of the audit log (A2): verification on a schedule ({@code ntk.audit.monitor.interval}).
 * The first run after start verifies the whole log; each later run only the records added since
 * the last one that was consistent, on top of the tree it verified then (kept in memory, never
 * read back from the database that it checks), and the checkpoints signed beyond it: its cost
 * follows what was added, not the log's size. A run that is not consistent raises the alarm, and
 * the next run starts from the first leaf again. The full verification stays available on demand
 * ({@code POST /audit-log/verification}, {@code deploy/audit-verify.sh}): only it sees a change to
 * records that an earlier run verified.
 */
@ApplicationScoped
public class LogMonitor {

    /** The monitor's last run. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Run(OffsetDateTime at, long from, long to, boolean consistent, String summary, long millis) {
    }

    @Inject
    Verification verification;

    @Inject
    AuditAlarms alarms;

    @Inject
    DatabaseStartup startup;

    private TreeVerifier.Start verified = TreeVerifier.Start.FIRST_LEAF;
    private volatile Run last;

    @Scheduled(every = "${ntk.audit.monitor.interval}", delayed = "20s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void onInterval() {
        if (startup.done()) {
            run();
        }
    }

    /** One run: from where the last consistent one ended. */
    public synchronized Run run() {
        long started = System.nanoTime();
        long from = verified.size();
        TreeVerifier.Outcome outcome = verification.verify(null, verified);
        TreeVerifier.Report report = outcome.report();
        last = new Run(OffsetDateTime.now(ZoneOffset.UTC), from, report.records(), report.consistent(), report.summary(),
                (System.nanoTime() - started) / 1_000_000);
        if (report.consistent()) {
            verified = outcome.next();
        } else {
            verified = TreeVerifier.Start.FIRST_LEAF;
            alarms.raise(AuditAlarms.Kind.INCONSISTENT, report.summary());
        }
        return last;
    }

    /** The last run, or null before the first. */
    public Run last() {
        return last;
    }
}
