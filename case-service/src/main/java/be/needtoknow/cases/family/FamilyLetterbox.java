package be.needtoknow.cases.family;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import be.needtoknow.cases.pupil.FamilyContact.Addressee;
import be.needtoknow.common.audit.AuditTrail;
import be.needtoknow.common.audit.LegalBasis;
import be.needtoknow.common.audit.Refused;
import be.needtoknow.common.caller.Caller;
import be.needtoknow.common.caller.Roles;
import be.needtoknow.common.problem.ProblemException;

/**
 * The letterbox of a school whose platform carries its messages to parents (X, T4): the school
 * platform's service account collects the letters the family channel left, and delivers them
 * itself. Each letter is handed over once: a collection takes the oldest letters of the caller's
 * school that no other collection holds ({@code FOR UPDATE SKIP LOCKED}) and deletes them in the
 * same transaction, so collections at once share the letters out and none is handed over twice.
 * Each handed-over letter is audited ({@code family-message.collect}); no staff member may collect.
 */
@ApplicationScoped
public class FamilyLetterbox {

    /** The most letters one collection takes. */
    static final int BATCH = 100;

    @Inject
    EntityManager em;

    @Inject
    AuditTrail audit;

    /** A letter as the platform delivers it: to whom, the subject and the text with the link. */
    public record Letter(UUID id, UUID messageId, String pupilId, Addressee addressee, String to, String subject,
            String text, OffsetDateTime leftAt) {
    }

    @Transactional
    public List<Letter> collect(Caller caller) {
        if (!caller.hasRole(Roles.SCHOOL_SYSTEM)) {
            throw new Refused(caller, new AuditTrail.Access("family-message.collect", caller.organisationId(), null,
                    "family-letterbox", null, "family channel", LegalBasis.LEGAL_TASK), "not the school's platform",
                    ProblemException.forbidden("not-school-system", "Only the school platform's service account "
                            + "collects the letters for the family: they hold the family's links."));
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("DELETE FROM family_letter l USING family_message m WHERE l.id IN "
                + "(SELECT id FROM family_letter WHERE organisation_id = ?1 AND channel = 'LETTERBOX' "
                + "ORDER BY left_at, id LIMIT ?2 FOR UPDATE SKIP LOCKED) AND m.id = l.message_id "
                + "RETURNING l.id, l.message_id, l.pupil_id, m.addressee, l.address, l.subject, l.text, l.left_at, m.kind")
                .setParameter(1, caller.organisationId()).setParameter(2, BATCH).getResultList();
        List<Letter> letters = new ArrayList<>();
        List<AuditTrail.Access> handedOver = new ArrayList<>();
        for (Object[] row : rows) {
            Letter letter = new Letter((UUID) row[0], (UUID) row[1], (String) row[2], Addressee.valueOf((String) row[3]),
                    (String) row[4], (String) row[5], (String) row[6], toOffset(row[7]));
            letters.add(letter);
            boolean transfer = FamilyMessage.Kind.TRANSFER_NOTICE.name().equals(row[8]);
            handedOver.add(new AuditTrail.Access("family-message.collect", caller.organisationId(), letter.pupilId(),
                    "family-message", letter.messageId().toString(),
                    transfer ? TransferNoticeDelivery.PURPOSE : "right of access",
                    transfer ? LegalBasis.CONSENT : LegalBasis.LEGAL_OBLIGATION));
        }
        if (!handedOver.isEmpty()) {
            audit.granted(caller, handedOver);
        }
        return letters;
    }

    private static OffsetDateTime toOffset(Object value) {
        if (value instanceof OffsetDateTime t) {
            return t;
        }
        if (value instanceof java.time.Instant i) {
            return i.atOffset(java.time.ZoneOffset.UTC);
        }
        return ((java.sql.Timestamp) value).toInstant().atOffset(java.time.ZoneOffset.UTC);
    }
}
