package be.needtoknow.audit.report;

import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.annotation.JsonInclude;

import be.needtoknow.audit.Csv;
import be.needtoknow.audit.DpoOnly;
import be.needtoknow.common.audit.AuditTrail;
import be.needtoknow.common.audit.AuditTrail.Access;
import be.needtoknow.common.audit.LegalBasis;
import be.needtoknow.common.audit.Refused;
import be.needtoknow.common.caller.Caller;

/**
 * A4, the registration duty: how many referrals and transfers the DPO's school sent, per month
 * (UTC) and recipient type, for the government. Aggregates only: no pupil, pseudonym, person or
 * record id leaves this class, and a count of 1 to 4 is suppressed (a small cell could point at a
 * pupil). Counted from the audit trail's granted {@code referral.send} records, whose purpose names
 * the recipient type (referral-service's Referrals and TransferNotices). Making the statistics is
 * itself recorded.
 */
@ApplicationScoped
public class RegistrationStatistics {

    /** Counts below this are not shown (suppressed); a cell of 0 is simply absent. */
    static final int SMALLEST_SHOWN = 5;
    /** The longest period one request may cover, in months (from and to included). */
    static final int MAX_MONTHS = 60;
    /** The default period: this many months up to and including the current one. */
    static final int DEFAULT_MONTHS = 12;

    @Inject
    EntityManager em;

    @Inject
    AuditTrail audit;

    @Inject
    DpoOnly dpoOnly;

    /**
     * One cell: sends in a month by a school to a type of recipient (CLB, CARE or SCHOOL). When the
     * count is 1 to 4, {@code count} is null and {@code suppressed} true.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Row(String month, String school, String recipientType, Long count, boolean suppressed) {

        static Row of(String month, String school, String recipientType, long count) {
            return count < SMALLEST_SHOWN ? new Row(month, school, recipientType, null, true)
                    : new Row(month, school, recipientType, count, false);
        }
    }

    @Transactional
    public List<Row> registrations(Caller caller, YearMonth askedFrom, YearMonth askedTo) {
        Access access = new Access("audit.statistics", caller.organisationId(), null, "audit-trail", null,
                "registration statistics", LegalBasis.LEGAL_OBLIGATION);
        dpoOnly.require(caller, access, "makes the registration statistics");
        YearMonth to = askedTo != null ? askedTo : YearMonth.now(ZoneOffset.UTC);
        YearMonth from = askedFrom != null ? askedFrom : to.minusMonths(DEFAULT_MONTHS - 1);
        if (from.isAfter(to)) {
            throw new Refused(caller, access, "from after to",
                    PeriodProblems.invalid("The period starts (" + from + ") after it ends (" + to + ").",
                    "from must not be after to", "from", "to"));
        }
        if (ChronoUnit.MONTHS.between(from, to) + 1 > MAX_MONTHS) {
            throw new Refused(caller, access, "period too long",
                    PeriodProblems.invalid("The period covers more than " + MAX_MONTHS + " months.",
                    "the period from-to covers at most " + MAX_MONTHS + " months", "from", "to"));
        }
        // The months in UTC; the half-open range on occurred_at keeps the filter index-friendly.
        // The purpose of a referral's records names its recipient type; any other purpose is not counted.
        @SuppressWarnings("unchecked")
        List<Object[]> cells = em.createNativeQuery("""
                select month, school, recipient_type, count(*) from (
                    select to_char(occurred_at at time zone 'UTC', 'YYYY-MM') as month,
                           organisation_id as school,
                           case cast(record as jsonb) ->> 'purpose'
                               when 'referral to the CLB' then 'CLB'
                               when 'referral to a care service' then 'CARE'
                               when 'transfer to another school' then 'SCHOOL'
                           end as recipient_type
                    from audit_record
                    where organisation_id = :org and action = 'referral.send' and outcome = 'GRANTED'
                      and occurred_at >= :from and occurred_at < :to
                ) sent
                where recipient_type is not null
                group by month, school, recipient_type
                order by month, school, recipient_type
                """)
                .setParameter("org", caller.organisationId())
                .setParameter("from", from.atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC))
                .setParameter("to", to.plusMonths(1).atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC))
                .getResultList();
        List<Row> rows = new ArrayList<>();
        for (Object[] cell : cells) {
            rows.add(Row.of((String) cell[0], (String) cell[1], (String) cell[2], ((Number) cell[3]).longValue()));
        }
        audit.granted(caller, access);
        return rows;
    }

    /** The rows as CSV (RFC 4180, cells by {@link Csv}): header month,school,recipientType,count; a suppressed count as {@code <5}. */
    public static String csv(List<Row> rows) {
        StringBuilder out = new StringBuilder("month,school,recipientType,count\r\n");
        for (Row row : rows) {
            out.append(Csv.cell(row.month())).append(',').append(Csv.cell(row.school())).append(',')
                    .append(Csv.cell(row.recipientType())).append(',')
                    .append(row.suppressed() ? "<" + SMALLEST_SHOWN : row.count().toString()).append("\r\n");
        }
        return out.toString();
    }
}
