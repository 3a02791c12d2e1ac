package be.needtoknow.cases.family;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A message to one address of the family on its way: an e-mail waiting for the mail sender
 * ({@link FamilyPost}), or a letter waiting in the school platform's letterbox ({@link FamilyLetterbox}).
 * It holds the link until it is sent or collected, then it is deleted; nothing else keeps the link.
 */
@Entity
@Table(name = "family_letter")
public class FamilyLetter extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "message_id", nullable = false)
    public UUID messageId;

    @Column(name = "organisation_id", nullable = false)
    public String organisationId;

    @Column(name = "pupil_id", nullable = false)
    public String pupilId;

    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    @Column(nullable = false)
    public FamilyMessage.Channel channel;

    @Column(nullable = false)
    public String address;

    @Column(nullable = false)
    public String subject;

    @Column(nullable = false)
    public String text;

    @Column(name = "left_at", nullable = false)
    public OffsetDateTime leftAt;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "due_at", nullable = false)
    public OffsetDateTime dueAt;

    static void leave(FamilyMessage m, String address, String subject, String text) {
        FamilyLetter letter = new FamilyLetter();
        letter.id = UUID.randomUUID();
        letter.messageId = m.id;
        letter.organisationId = m.organisationId;
        letter.channel = m.channel;
        letter.pupilId = m.pupilId;
        letter.address = address;
        letter.subject = subject;
        letter.text = text;
        letter.leftAt = m.sentAt;
        letter.dueAt = m.sentAt;
        letter.persist();
    }
}
