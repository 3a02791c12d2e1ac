package be.needtoknow.audit.report;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.hibernate.jpa.HibernateHints;

import be.needtoknow.audit.DpoOnly;
import be.needtoknow.common.audit.AuditTrail;
import be.needtoknow.common.audit.AuditTrail.Access;
import be.needtoknow.common.audit.LegalBasis;
import be.needtoknow.common.audit.Refused;
import be.needtoknow.common.caller.Caller;

/**
 * A3, "spot unusual access": the people of the DPO's organisation, or people acting on its pupils,
 * whose use of the trail's period stands out — many pupils in a short time, many refusals, much
 * work on pupils at night (rules in {@link UnusualAccessRules}, thresholds in application.properties
 * under {@code ntk.audit.unusual}, read as {@link UnusualAccessSettings}). The flags name the person and the time, never a pupil or a
 * record's content. Asking is itself recorded.
 */
@ApplicationScoped
public class UnusualAccess {

    /** The default period: this long up to now. */
    static final Duration DEFAULT_PERIOD = Duration.ofDays(7);
    /** The longest period one request may cover. */
    static final Duration MAX_PERIOD = Duration.ofDays(92);
    /** Rows fetched per round trip: the records stream through, they are never all in memory. */
    private static final int FETCH_SIZE = 1000;

    @Inject
    EntityManager em;

    @Inject
    AuditTrail audit;

    @Inject
    DpoOnly dpoOnly;

    @Inject
    UnusualAccessSettings settings;

    /**
     * One flag: who (user name, role, organisation), what pattern, when (from and to, local time with
     * offset), how many against which threshold. For MANY_PUPILS and REFUSALS, from and to are the
     * first and last record of the busiest window; for NIGHT, the night's start and end.
     */
    public record Flag(String flag, String actor, String role, String organisation, String from, String to, long count,
            int threshold) {
    }

    @Transactional
    public List<Flag> find(Caller caller, Instant askedFrom, Instant askedTo) {
        Access access = new Access("audit.unusual", caller.organisationId(), null, "audit-trail", null,
                "spot unusual access", LegalBasis.ACCOUNTABILITY);
        dpoOnly.require(caller, access, "reads the audit trail");
        Instant to = askedTo != null ? askedTo : Instant.now();
        Instant from = askedFrom != null ? askedFrom : to.minus(DEFAULT_PERIOD);
        if (!from.isBefore(to)) {
            throw new Refused(caller, access, "from not before to",
                    PeriodProblems.invalid("The period starts (" + from + ") at or after its end (" + to + ").",
                    "from must be before to", "from", "to"));
        }
        if (Duration.between(from, to).compareTo(MAX_PERIOD) > 0) {
            throw new Refused(caller, access, "period too long",
                    PeriodProblems.invalid("The period is longer than " + MAX_PERIOD.toDays() + " days.",
                    "the period from-to covers at most " + MAX_PERIOD.toDays() + " days", "from", "to"));
        }
        UnusualAccessRules rules = new UnusualAccessRules(new UnusualAccessRules.Thresholds(settings.manyPupils(),
                settings.refusals(), settings.nightAccesses(), settings.window(), settings.nightStart(),
                settings.nightEnd(), settings.zone()));
        // The organisation's own records, as for the DPO's search (about its pupils, or by its people),
        // in the period (the index on occurred_at), only those a rule looks at: about a pupil, or refused.
        // Grouped by person and in time order, the order the rules read them in.
        @SuppressWarnings("unchecked")
        Stream<Object[]> records = em.createNativeQuery("""
                select actor_username, actor_role, actor_organisation_id, pupil_pseudonym, outcome, occurred_at
                from audit_record
                where (organisation_id = :org or actor_organisation_id = :org)
                  and occurred_at >= :from and occurred_at < :to
                  and (pupil_pseudonym is not null or outcome = 'REFUSED')
                order by actor_username, occurred_at, leaf_index
                """)
                .setParameter("org", caller.organisationId())
                .setParameter("from", from.atOffset(ZoneOffset.UTC))
                .setParameter("to", to.atOffset(ZoneOffset.UTC))
                .setHint(HibernateHints.HINT_FETCH_SIZE, FETCH_SIZE)
                .getResultStream();
        try (records) {
            records.forEach(r -> rules.accept(new UnusualAccessRules.Row((String) r[0], (String) r[1], (String) r[2],
                    (String) r[3], "REFUSED".equals(r[4]), instant(r[5]))));
        }
        List<Flag> flags = rules.flags().stream()
                .sorted(Comparator.comparing((Flag f) -> OffsetDateTime.parse(f.from()).toInstant()).thenComparing(Flag::actor).thenComparing(Flag::flag))
                .toList();
        audit.granted(caller, access);
        return flags;
    }

    /** A timestamptz column, as the JDBC driver and Hibernate hand it over. */
    private static Instant instant(Object value) {
        if (value instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        if (value instanceof Instant t) {
            return t;
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        throw new IllegalStateException("Unexpected type for occurred_at: " + value.getClass());
    }
}
