package be.needtoknow.common.operator;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import be.needtoknow.common.audit.AuditTrail;
import be.needtoknow.common.audit.AuditTrail.Access;
import be.needtoknow.common.audit.Refused;
import be.needtoknow.common.caller.Caller;
import be.needtoknow.common.identity.CallerContext;
import be.needtoknow.common.caller.Roles;
import be.needtoknow.common.outbox.ParkedEvent;
import be.needtoknow.common.outbox.ParkedEvents;
import be.needtoknow.common.outbox.ParkedEventsAlarm;
import be.needtoknow.common.problem.ProblemException;
import io.quarkus.security.Authenticated;

/**
 * The operator's command on the outbox events the broker refused for good. Only the realm role
 * {@code operator}; metadata only, never an event's payload (it may carry a note's excerpt).
 * Every call is audited (A1), a refusal too: 401 without a token, 403 for any other role, 404 for a
 * position where nothing is parked.
 */
@Path("/operator/parked-events")
@Authenticated
@Tag(name = "operator", description = "Outbox events the broker refused for good")
@Produces(MediaType.APPLICATION_JSON)
public class ParkedEventsResource {

    /** A parked event as the operator sees it: where it was in the queue, what, where to, why, since when. */
    public record ParkedView(long position, UUID eventId, String type, String topic, String reason, int attempts,
            OffsetDateTime parkedAt) {

        static ParkedView of(ParkedEvent event) {
            return new ParkedView(event.position, event.eventId, event.type, event.topic,
                    event.reasonClass + ": " + event.reasonMessage, event.attempts, event.parkedAt);
        }
    }

    @Inject
    CallerContext callers;

    @Inject
    ParkedEvents parked;

    @Inject
    ParkedEventsAlarm alarm;

    @Inject
    AuditTrail audit;

    @GET
    @Transactional
    @Operation(operationId = "listParkedEvents",
            summary = "The parked outbox events", description = "Oldest position first: position, event id, "
            + "type, topic, why the broker refused it, attempts and when it was parked; never the event's content.")
    public List<ParkedView> list() {
        Caller caller = operator(ParkedEvents.LIST, null);
        audit.granted(caller, access(caller, ParkedEvents.LIST, null));
        return parked.list().stream().map(ParkedView::of).toList();
    }

    @POST
    @Path("/{position}/retry")
    @Operation(operationId = "retryParkedEvent",
            summary = "Put a parked event back into the publishing queue", description = "Under its own "
            + "position, so the relay publishes it next: after the events appended later, which were published "
            + "while it was parked (consumers see it late, never twice as a new event: same CloudEvents id).")
    public ParkedView retry(@PathParam("position") @Size(max = 20) String position) {
        ParkedView retried = act(ParkedEvents.RETRY, position, true);
        alarm.refresh();
        return retried;
    }

    @DELETE
    @Path("/{position}")
    @Operation(operationId = "discardParkedEvent",
            summary = "Discard a parked event for good", description = "The event is deleted and never published; "
            + "the audit record of the discard names the operator and the event id (also of a discarded audit record).")
    public ParkedView discard(@PathParam("position") @Size(max = 20) String position) {
        ParkedView discarded = act(ParkedEvents.DISCARD, position, false);
        alarm.refresh();
        return discarded;
    }

    /** The operator's retry or discard; a position that is no number is one where nothing is parked (404). */
    @Transactional
    ParkedView act(String action, String position, boolean retry) {
        Caller caller = operator(action, "position " + position);
        Long at = position.matches("[0-9]{1,18}") ? Long.valueOf(position) : null;
        ParkedEvent event = (at == null ? Optional.<ParkedEvent>empty()
                : retry ? parked.retry(at) : parked.discard(at)).orElseThrow(
                        () -> new Refused(caller, access(caller, action, "position " + position), "nothing parked there",
                                ProblemException.notFound("parked event")));
        audit.granted(caller, access(caller, action, event.eventId.toString()));
        return ParkedView.of(event);
    }

    /** The caller, if an operator: 401 without a token (audited by the mappers), 403 otherwise (audited). */
    private Caller operator(String action, String resourceId) {
        Caller caller = callers.get();
        if (!caller.hasRole(Roles.OPERATOR)) {
            throw new Refused(caller, access(caller, action, resourceId), "not an operator",
                    ProblemException.forbidden("not-operator", "Only an operator handles parked outbox events."));
        }
        return caller;
    }

    private static Access access(Caller caller, String action, String resourceId) {
        return new Access(action, caller.organisationId(), null, ParkedEvents.RESOURCE_TYPE, resourceId, null, null);
    }
}
