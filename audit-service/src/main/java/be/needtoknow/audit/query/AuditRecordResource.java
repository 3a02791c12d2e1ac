package be.needtoknow.audit.query;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import be.needtoknow.common.caller.CallerContext;
import io.quarkus.security.Authenticated;

@Path("/audit-records")
@Authenticated
@Tag(name = "audit records", description = "The DPO's view of the audit trail")
@Produces(MediaType.APPLICATION_JSON)
public class AuditRecordResource {

    @Inject
    AuditQuery auditQuery;

    @Inject
    CallerContext caller;

    @GET
    @Operation(summary = "Search the audit trail of your organisation",
            description = "For the DPO (A3). By the school's pupil id (the pseudonym is computed by the service), by "
                    + "person (user name), by action and by legal basis (legalBasis=vital-interest lists the disclosures "
                    + "without consent, for review); in log order, paginated. The query is itself recorded.")
    public List<AuditRecordView> search(
            @QueryParam("pupilId") @Size(max = 64) String pupilId,
            @QueryParam("actor") @Size(max = 128) String actor,
            @QueryParam("action") @Size(max = 64) @Pattern(regexp = "[a-z.-]+") String action,
            @QueryParam("legalBasis") @Pattern(regexp = "consent|legal-task|vital-interest|court-order|legal-obligation|accountability",
                    message = "one of consent, legal-task, vital-interest, court-order, legal-obligation, accountability") String legalBasis,
            // Numbers as validated text, so that "size=many" is a 400 naming the field, not a bare 404.
            @QueryParam("page") @DefaultValue("0") @Pattern(regexp = "\\d{1,7}", message = "must be a whole number from 0") String page,
            @QueryParam("size") @DefaultValue("50") @Pattern(regexp = "\\d{1,3}", message = "must be a whole number from 1 to 500")
            @Min(1) @Max(500) String size) {
        return auditQuery.search(caller.get(),
                new AuditQuery.Criteria(pupilId, actor, action, legalBasis, Integer.parseInt(page), Integer.parseInt(size)));
    }
}
