package be.needtoknow.audit.tree;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import be.needtoknow.common.audit.AuditTrail;
import be.needtoknow.common.audit.LegalBasis;
import be.needtoknow.common.caller.Caller;
import be.needtoknow.common.caller.OrganisationType;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The alarm of the audit log (A2): something no honest run of the suite produces — a row that did
 * not come through ingest, records that no longer hash to a checkpoint, a witness that refuses to
 * cosign. An alarm is raised four ways, none with content: a log line starting "AUDIT LOG ALARM",
 * the metrics {@code ntk.audit.alarms.raised} (a gauge, 0 while all is well) and
 * {@code ntk.audit.alarms} (a counter by kind), the readiness check "Audit log integrity" (with
 * the alarm as its data; see {@link AuditLogHealth}), and an audit record that every organisation's DPO sees in the trail
 * (action {@code audit-log.alarm}). An alarm stays raised until the service restarts: it calls for
 * a person to look.
 */
@ApplicationScoped
public class AuditAlarms {

    private static final Logger LOG = Logger.getLogger(AuditAlarms.class);
    /** The actor of an alarm's audit record: the service itself. */
    static final String ACTOR = "audit-log-monitor";

    /** The kinds of alarm. */
    public enum Kind {
        /** A record beyond the tree, or a leaf without its record: not added by ingest. */
        ADOPTION,
        /** Verification (the monitor's or on demand) found the records no longer match the tree or a checkpoint. */
        INCONSISTENT,
        /** A witness has cosigned more records than the log holds: records were removed. */
        TAIL_CUT,
        /** A witness refused a checkpoint: smaller than, or not consistent with, what it cosigned. */
        WITNESS_REFUSED
    }

    /** A raised alarm: what, when, and a description without content. */
    public record Alarm(Kind kind, String detail, OffsetDateTime raisedAt) {
    }

    @Inject
    AuditTrail audit;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MeterRegistry metrics;

    private final List<Alarm> raised = new CopyOnWriteArrayList<>();

    /** The number of raised alarms, from the start: 0 while all is well (alert when it is not). */
    @jakarta.annotation.PostConstruct
    void gauge() {
        metrics.gauge("ntk.audit.alarms.raised", raised, List::size);
    }

    /** Raises an alarm once per kind and detail. */
    public void raise(Kind kind, String detail) {
        if (raised.stream().anyMatch(a -> a.kind() == kind && a.detail().equals(detail))) {
            return;
        }
        raised.add(new Alarm(kind, detail, OffsetDateTime.now(ZoneOffset.UTC)));
        LOG.errorf("AUDIT LOG ALARM %s: %s", kind, detail);
        metrics.counter("ntk.audit.alarms", "kind", kind.name()).increment();
        try {
            // Recorded as a refusal: the log refuses to go on as if nothing happened; the reason is the detail.
            for (String organisation : organisations()) {
                Caller monitor = new Caller(ACTOR, ACTOR, Set.of(), organisation, OrganisationType.AUTHORITY);
                audit.alarm(monitor, new AuditTrail.Access("audit-log.alarm", organisation, null, "audit-log",
                        kind.name(), "accountability", LegalBasis.ACCOUNTABILITY), detail);
            }
        } catch (RuntimeException e) {
            // The log line, metric and readiness stand; the database may be the very thing that failed.
            LOG.errorf("The alarm could not be recorded in the trail (%s)", e.getClass().getSimpleName());
        }
    }

    public List<Alarm> raised() {
        return List.copyOf(raised);
    }

    /**
     * Every organisation with records in the log, each of whose DPOs must see the alarm: a loose
     * index scan (one index probe per organisation, not a read of the whole log).
     */
    private List<String> organisations() {
        List<String> organisations = new ArrayList<>();
        try (var c = dataSource.getConnection(); var s = c.prepareStatement("""
                with recursive o(id) as (
                    select min(organisation_id) from audit_record
                    union all
                    select (select min(organisation_id) from audit_record where organisation_id > o.id) from o where o.id is not null)
                select id from o where id is not null""");
                var r = s.executeQuery()) {
            while (r.next()) {
                organisations.add(r.getString(1));
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("Cannot list the log's organisations", e);
        }
        return organisations;
    }
}
