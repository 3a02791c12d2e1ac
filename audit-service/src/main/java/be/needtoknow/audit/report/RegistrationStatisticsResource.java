package be.needtoknow.audit.report;

import java.time.YearMonth;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import be.needtoknow.common.identity.CallerContext;
import io.quarkus.security.Authenticated;

/** A4: the registration statistics of the DPO's school, as JSON or CSV. */
@Path("/audit-statistics/registrations")
@Authenticated
@Tag(name = "audit statistics", description = "Anonymised statistics from the audit trail (A4)")
public class RegistrationStatisticsResource {

    private static final String MONTH = "\\d{4}-(0[1-9]|1[0-2])";
    private static final String MONTH_MESSAGE = "a month as YYYY-MM";
    static final String CSV = "text/csv";

    @Inject
    RegistrationStatistics statistics;

    @Inject
    CallerContext caller;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getRegistrationStatistics",
            summary = "Referrals and transfers sent, per month, school and recipient type (A4)",
            description = "For the DPO, about their own school: granted referral.send records counted per month (UTC) "
                    + "and recipient type (CLB, CARE, SCHOOL). No identifiers; a count of 1 to 4 is suppressed "
                    + "(count null, suppressed true), an empty cell is absent. from and to are months (YYYY-MM, both "
                    + "included; by default the last 12 months up to the current one, at most 60). The request is "
                    + "itself recorded.")
    public List<RegistrationStatistics.Row> json(
            @QueryParam("from") @Pattern(regexp = MONTH, message = MONTH_MESSAGE) String from,
            @QueryParam("to") @Pattern(regexp = MONTH, message = MONTH_MESSAGE) String to) {
        return statistics.registrations(caller.get(), month(from), month(to));
    }

    @GET
    @Produces(CSV + ";qs=0.9") // JSON for a client that takes anything
    @Operation(summary = "The same rows as CSV", description = "Header month,school,recipientType,count; a suppressed "
            + "count is written as <5.")
    public RestResponse<String> csv(
            @QueryParam("from") @Pattern(regexp = MONTH, message = MONTH_MESSAGE) String from,
            @QueryParam("to") @Pattern(regexp = MONTH, message = MONTH_MESSAGE) String to) {
        // The type set here: "qs" only chooses among the representations, it is no part of the answer's type.
        return RestResponse.ResponseBuilder.ok(RegistrationStatistics.csv(statistics.registrations(caller.get(),
                month(from), month(to))), MediaType.valueOf(CSV).withCharset("UTF-8")).build();
    }

    private static YearMonth month(String text) {
        return text == null ? null : YearMonth.parse(text); // the pattern above admits valid months only
    }
}
