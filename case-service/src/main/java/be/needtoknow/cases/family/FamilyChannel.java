package be.needtoknow.cases.family;

import java.text.MessageFormat;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import org.eclipse.microprofile.config.Config;

import be.needtoknow.cases.family.FamilyMessage.Channel;
import be.needtoknow.cases.family.FamilyMessage.Kind;
import be.needtoknow.cases.pupil.FamilyContact;
import be.needtoknow.cases.pupil.FamilyContact.Addressee;
import be.needtoknow.cases.pupil.Pupil;
import be.needtoknow.common.audit.AuditTrail;
import be.needtoknow.common.audit.Refused;
import be.needtoknow.common.caller.Caller;
import be.needtoknow.common.problem.Problem;
import be.needtoknow.common.problem.ProblemException;

/**
 * The family's own channel (X, T4, M1): every link that lets the parents or the pupil check what
 * the school does (a transfer notice, an access package) goes from the suite straight to the
 * addresses the school platform registered for them, never through the staff member whose action
 * it checks. One e-mail per address, plain Dutch with an English line, the link inside. What was
 * sent, when, to which kind of contact and who issued it is kept and audited; the address and the
 * link are not (the link's secret is the family's credential: only its addressee ever holds it).
 * <p>
 * The letters are stored in the transaction of the action they belong to, and sent after it commits
 * ({@link FamilyPost}): an action that rolls back sends nothing, and a relay that is down delays
 * the mail but loses none.
 */
@ApplicationScoped
public class FamilyChannel {

    @Inject
    AuditTrail audit;

    @Inject
    FamilyChannelConfig links;

    @Inject
    Config config;

    /** A message for the family: what kind, for whom, the page's path with the link, and the record it is about. */
    public record Message(Kind kind, Addressee addressee, String path, String aboutType, String aboutId,
            AuditTrail.Access access) {
    }

    /**
     * Sends the message to every registered address of the addressee and records it. Refused (409,
     * audited, nothing sent) when the register holds no address for them.
     */
    @Transactional(TxType.MANDATORY)
    public Delivery deliver(Caller issuedBy, Pupil pupil, Message message) {
        String organisationId = pupil.key.organisationId;
        List<String> addresses = FamilyContact.addresses(organisationId, pupil.key.pupilId, message.addressee());
        AuditTrail.Access sending = new AuditTrail.Access("family-message.send", organisationId, pupil.key.pupilId,
                "family-message", null, message.access().purpose(), message.access().legalBasis());
        if (addresses.isEmpty()) {
            String whom = message.addressee() == Addressee.PARENTS ? "the parents" : "the pupil";
            throw new Refused(issuedBy, sending, "no registered address for " + whom,
                    new ProblemException(Problem.of(409, "no-family-contact", "No address for the family",
                            "The pupil register holds no e-mail address for " + whom + ": the school platform's pupil "
                            + "import must carry it. The link goes to the family only, never to staff; nothing was "
                            + "changed.").withRule(switch (message.kind()) {
                                case TRANSFER_NOTICE -> "X";
                                case ACCESS_PACKAGE -> "T4";
                                case REFERRAL_NOTICE -> "T3";
                            })));
        }
        String url = (message.kind() == Kind.ACCESS_PACKAGE ? links.caseServiceUrl() : links.referralServiceUrl())
                + message.path();
        String school = config.getOptionalValue("ntk.school-names." + organisationId, String.class).orElse(organisationId);
        ResourceBundle texts = ResourceBundle.getBundle("family.messages", Locale.forLanguageTag("nl"));
        String key = message.kind().name() + "." + message.addressee().name();
        Object[] values = { school, pupil.givenName, url };
        String subject = MessageFormat.format(texts.getString("subject." + key), values);
        String text = MessageFormat.format(texts.getString("text." + key), values);
        Channel channel = links.channelOf(organisationId);
        FamilyMessage m = new FamilyMessage();
        m.id = UUID.randomUUID();
        m.organisationId = organisationId;
        m.pupilId = pupil.key.pupilId;
        m.kind = message.kind();
        m.addressee = message.addressee();
        m.channel = channel;
        m.addresses = addresses.size();
        m.sentAt = OffsetDateTime.now(ZoneOffset.UTC);
        m.issuedBy = issuedBy.username();
        m.aboutType = message.aboutType();
        m.aboutId = message.aboutId();
        m.persist();
        // One letter per address: no parent sees the other's address, each holds the link. The mail
        // sender (FamilyPost) sends it within seconds and retries while the relay does not take it;
        // the letterbox holds it for the school platform to collect once (FamilyLetterbox).
        for (String address : addresses) {
            FamilyLetter.leave(m, address, subject, text);
        }
        audit.granted(issuedBy, new AuditTrail.Access("family-message." + channel.name().toLowerCase(), organisationId,
                pupil.key.pupilId,
                "family-message", m.id.toString(), sending.purpose(), sending.legalBasis()));
        return Delivery.of(m);
    }
}
