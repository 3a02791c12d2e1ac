package be.needtoknow.audit.report;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
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

import be.needtoknow.common.identity.CallerContext;
import io.quarkus.security.Authenticated;

/** A3: the DPO's list of unusual access in their organisation's trail. */
@Path("/audit-records/unusual")
@Authenticated
@Tag(name = "audit records", description = "The DPO's view of the audit trail")
@Produces(MediaType.APPLICATION_JSON)
public class UnusualAccessResource {

    /** An ISO-8601 instant with its offset: 2025-03-01T08:00:00Z, 2025-03-01T09:00+01:00. */
    private static final String INSTANT = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})";
    private static final String INSTANT_MESSAGE = "an ISO-8601 date and time with offset, e.g. 2025-03-01T08:00:00Z";

    @Inject
    UnusualAccess unusual;

    @Inject
    CallerContext caller;

    @GET
    @Operation(operationId = "listUnusualAccess", summary = "Spot unusual access in your organisation's trail (A3)",
            description = "For the DPO. Flags a person who accessed more distinct pupils than ntk.audit.unusual.many-pupils "
                    + "within one window (MANY_PUPILS), had more refusals than ntk.audit.unusual.refusals within one window "
                    + "(REFUSALS), or more records about pupils in one night than ntk.audit.unusual.night-accesses (NIGHT). "
                    + "Period: from and to as ISO-8601 instants (by default the last 7 days, at most 92). No pupil and no "
                    + "record content in the answer. The request is itself recorded.")
    public List<UnusualAccess.Flag> unusual(
            @QueryParam("from") @Pattern(regexp = INSTANT, message = INSTANT_MESSAGE) String from,
            @QueryParam("to") @Pattern(regexp = INSTANT, message = INSTANT_MESSAGE) String to) {
        return unusual.find(caller.get(), instant(from, "from"), instant(to, "to"));
    }

    /** Parsed here, since the pattern cannot tell a real date from 2025-02-30. */
    private static Instant instant(String text, String parameter) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw PeriodProblems.invalid(parameter + " is not a date and time.", INSTANT_MESSAGE, parameter);
        }
    }
}
