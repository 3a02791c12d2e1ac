package be.needtoknow.cases.family;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A message left in the school platform's letterbox for one address, until the platform collects it
 * (once: the collection deletes it). It holds the link until then; nothing else in the suite does.
 */
@Entity
@Table(name = "family_letterbox")
public class FamilyLetter extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "message_id", nullable = false)
    public UUID messageId;

    @Column(name = "organisation_id", nullable = false)
    public String organisationId;

    @Column(name = "pupil_id", nullable = false)
    public String pupilId;

    @Column(nullable = false)
    public String address;

    @Column(nullable = false)
    public String subject;

    @Column(nullable = false)
    public String text;

    @Column(name = "left_at", nullable = false)
    public OffsetDateTime leftAt;

    static void leave(FamilyMessage m, String address, String subject, String text) {
        FamilyLetter letter = new FamilyLetter();
        letter.id = UUID.randomUUID();
        letter.messageId = m.id;
        letter.organisationId = m.organisationId;
        letter.pupilId = m.pupilId;
        letter.address = address;
        letter.subject = subject;
        letter.text = text;
        letter.leftAt = m.sentAt;
        letter.persist();
    }
}
