package be.needtoknow.cases.family;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.UUID;

import be.needtoknow.cases.family.FamilyMessage.Channel;
import be.needtoknow.cases.family.FamilyMessage.Kind;
import be.needtoknow.cases.pupil.FamilyContact.Addressee;

/**
 * What staff learn of a message to the family: that it went, to whom (the parents or the pupil),
 * how, to how many addresses and when. Never an address, never the link.
 */
public record Delivery(UUID id, Kind kind, Addressee addressee, Channel channel, int addresses, OffsetDateTime sentAt,
        String summary) {

    private static final ZoneId SCHOOL_ZONE = ZoneId.of("Europe/Brussels");

    /** The latest message about a record, as staff may see it. */
    public static java.util.Optional<Delivery> latestAbout(String aboutType, String aboutId) {
        return FamilyMessage.latestAbout(aboutType, aboutId).map(Delivery::of);
    }

    static Delivery of(FamilyMessage m) {
        String who = m.addressee == Addressee.PARENTS ? "the parents" : "the pupil";
        String addresses = m.addresses + (m.addresses == 1 ? " address" : " addresses");
        String day = m.sentAt.atZoneSameInstant(SCHOOL_ZONE).toLocalDate().toString();
        String summary = m.channel == Channel.MAIL ? "sent to " + who + " (" + addresses + ") by e-mail on " + day
                : "left for " + who + " (" + addresses + ") in the school platform's letterbox on " + day;
        return new Delivery(m.id, m.kind, m.addressee, m.channel, m.addresses, m.sentAt, summary);
    }
}
