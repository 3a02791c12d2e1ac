package be.needtoknow.audit.query;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import be.needtoknow.common.identity.CallerContext;
import be.needtoknow.common.problem.ProblemException;
import io.quarkus.security.Authenticated;

@Path("/audit-records")
@Authenticated
@Tag(name = "audit records", description = "The DPO's view of the audit trail")
public class AuditRecordResource {

    static final String JSON_LINES = "application/x-ndjson";
    static final String CSV = "text/csv";

    @Inject
    AuditQuery auditQuery;

    @Inject
    CallerContext caller;

    /** The search criteria as query parameters, validated (a violation is a 400 naming the parameter). */
    public static class Filters {
        @QueryParam("pupilId")
        @Size(max = 64)
        public String pupilId;

        @QueryParam("actor")
        @Size(max = 128)
        public String actor;

        @QueryParam("actorOrganisation")
        @Size(max = 64)
        @Pattern(regexp = "[a-z0-9-]+", message = "an organisation id")
        public String actorOrganisation;

        @QueryParam("action")
        @Size(max = 64)
        @Pattern(regexp = "[a-z.-]+", message = "an action, such as case-file.read")
        public String action;

        @QueryParam("outcome")
        @Pattern(regexp = "GRANTED|REFUSED", message = "GRANTED or REFUSED")
        public String outcome;

        @QueryParam("purpose")
        @Size(max = 200)
        public String purpose;

        @QueryParam("legalBasis")
        @Pattern(regexp = "consent|legal-task|vital-interest|court-order|legal-obligation|accountability",
                message = "one of consent, legal-task, vital-interest, court-order, legal-obligation, accountability")
        public String legalBasis;

        @QueryParam("from")
        @Size(max = 40)
        public String from;

        @QueryParam("to")
        @Size(max = 40)
        public String to;

        AuditQuery.Criteria criteria() {
            OffsetDateTime start = time("from", from);
            OffsetDateTime end = time("to", to);
            if (start != null && end != null && !start.isBefore(end)) {
                throw ProblemException.badRequest("inverted-period", "The period is empty: from (" + from
                        + ") must lie before to (" + to + ").");
            }
            return new AuditQuery.Criteria(pupilId, actor, actorOrganisation, action, outcome, purpose, legalBasis, start, end);
        }

        private static OffsetDateTime time(String name, String value) {
            if (value == null) {
                return null;
            }
            try {
                return OffsetDateTime.parse(value);
            } catch (DateTimeParseException e) {
                throw ProblemException.badRequest("bad-time", name + " must be a time with its offset (RFC 3339), such "
                        + "as 2026-11-01T00:00:00Z.");
            }
        }
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "searchAuditRecords", summary = "Search the audit trail of your organisation",
            description = "For the DPO (A3): the records about the organisation's pupils and those of its own people. By "
                    + "the school's pupil id (the pseudonym is computed by the service), person, the person's "
                    + "organisation, action, outcome (REFUSED: the refused attempts), purpose, legal basis "
                    + "(vital-interest: the disclosures without consent, for review) and period [from, to); in log "
                    + "order, paginated. The query is itself recorded.")
    public List<AuditRecordView> search(@Valid @BeanParam Filters filters,
            // Numbers as validated text, so that "size=many" is a 400 naming the field, not a bare 404.
            @QueryParam("page") @DefaultValue("0") @Pattern(regexp = "\\d{1,7}", message = "must be a whole number from 0") String page,
            @QueryParam("size") @DefaultValue("50") @Pattern(regexp = "\\d{1,3}", message = "must be a whole number from 1 to 500")
            @Min(1) @Max(500) String size) {
        return auditQuery.search(caller.get(), filters.criteria(), Integer.parseInt(page), Integer.parseInt(size));
    }

    @GET
    @Path("/export")
    @Produces({ JSON_LINES, CSV })
    @Operation(operationId = "exportAuditRecords", summary = "Export the records that meet the same criteria, whole",
            description = "JSON Lines "
            + "(application/x-ndjson) or CSV (text/csv; cells a spreadsheet would read as a formula are neutralised). "
            + "The export is itself recorded.")
    public Response export(@Valid @BeanParam Filters filters, @jakarta.ws.rs.HeaderParam("Accept") String accept) {
        boolean csv = accept != null && accept.contains(CSV);
        AuditQuery.Export export = auditQuery.export(caller.get(), filters.criteria(),
                csv ? AuditQuery.Format.CSV : AuditQuery.Format.JSON_LINES);
        StreamingOutput body = export::writeTo;
        return Response.ok(body, csv ? CSV + "; charset=UTF-8" : JSON_LINES)
                .header("Content-Disposition", "attachment; filename=\"audit-records." + (csv ? "csv" : "jsonl") + "\"")
                .build();
    }
}
