package be.needtoknow.common.audit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import be.needtoknow.common.outbox.EventParked;
import be.needtoknow.common.outbox.ParkedEvents;

/**
 * A1: the deployment's operator learns of an event the outbox relay parked from the audit trail
 * too, not only from its log and alarm. Observed in the relay's transaction, so the record is
 * stored with the parking or not at all.
 */
@ApplicationScoped
public class ParkedEventAudit {

    @Inject
    AuditTrail audit;

    void record(@Observes EventParked parked) {
        // Not for an event about the outbox itself: a refused audit topic would otherwise park record after record.
        if (parked.subject() != null && parked.subject().startsWith(ParkedEvents.RESOURCE_TYPE + "/")) {
            return;
        }
        audit.bySystem(ParkedEvents.PARKED, ParkedEvents.RESOURCE_TYPE, parked.eventId().toString(),
                "publication refused by the broker after " + parked.attempts() + " attempt(s): " + parked.errorClass());
    }
}
