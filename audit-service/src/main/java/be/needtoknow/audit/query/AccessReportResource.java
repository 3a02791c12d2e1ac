package be.needtoknow.audit.query;

import java.util.Locale;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import be.needtoknow.common.identity.CallerContext;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.security.Authenticated;

@Path("/audit-records/pupils/{pupilId}/report")
@Authenticated
@Tag(name = "audit records", description = "The DPO's view of the audit trail")
public class AccessReportResource {

    static final String ADDRESSEE = "For whom the report is made: PARENTS leaves out the records about what a pupil of "
            + "12 or more kept from them (M1: the pupil's conversation notes, own requests and messages, referrals the "
            + "parents are not to be told of), counted per ground in leftOut, never named; 503 when case-service or "
            + "referral-service cannot tell what that is. PUPIL, or none (the DPO's own view), leaves nothing out.";

    @Inject
    AccessReport reports;

    @Inject
    CallerContext caller;

    @Inject
    @Location("access-report.html")
    Template page;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getAccessReport",
            summary = "Who accessed a pupil's data, when, why and on what basis (T4)",
            description = "For the DPO, "
            + "by the school's pupil id; each access also in plain words (lang=nl, the default, or en).")
    public AccessReport.Report json(@Parameter(description = "The school's pupil id", example = "pupil-0001")
            @PathParam("pupilId") @Size(max = 64) String pupilId,
            @QueryParam("lang") @DefaultValue("nl") @Pattern(regexp = "nl|en", message = "nl or en") String lang,
            @Parameter(description = ADDRESSEE) @QueryParam("addressee") AccessReport.Addressee addressee) {
        return reports.of(caller.get(), pupilId, Locale.forLanguageTag(lang), addressee);
    }

    @GET
    @Produces(MediaType.TEXT_HTML + ";qs=0.9") // JSON for a client that takes anything
    @Operation(summary = "The same, as a printable page for parents and pupil", description = "In Dutch by default; "
            + "lang=en for English. People by name and function, organisations by name (from case-service's staff "
            + "directory and referral-service's recipient directory), never by username or id.")
    public RestResponse<String> html(@PathParam("pupilId") @Size(max = 64) String pupilId,
            @QueryParam("lang") @DefaultValue("nl") @Pattern(regexp = "nl|en", message = "nl or en") String lang,
            @Parameter(description = ADDRESSEE) @QueryParam("addressee") AccessReport.Addressee addressee) {
        AccessReport.Report report = reports.of(caller.get(), pupilId, Locale.forLanguageTag(lang), addressee);
        Map<String, String> msg = AccessReport.texts(Locale.forLanguageTag(lang));
        // The type set here: "qs" only chooses among the representations, it is no part of the answer's type.
        return RestResponse.ResponseBuilder.ok(page.data("report", report).data("msg", msg).data("lang", lang)
                .data("backHref", null).data("backText", null).render(),
                MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build();
    }
}
