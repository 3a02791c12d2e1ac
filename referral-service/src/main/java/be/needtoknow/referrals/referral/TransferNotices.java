package be.needtoknow.referrals.referral;

import java.text.MessageFormat;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.annotation.JsonInclude;

import be.needtoknow.common.audit.AuditTrail;
import be.needtoknow.common.audit.AuditTrail.Access;
import be.needtoknow.common.audit.Refused;
import be.needtoknow.common.caller.Caller;
import be.needtoknow.common.caller.OrganisationType;
import be.needtoknow.common.link.LinkSecrets;
import be.needtoknow.common.problem.ProblemException;
import be.needtoknow.common.referral.GrantKey;
import be.needtoknow.common.referral.ReferralGrant;
import be.needtoknow.referrals.casefile.FamilyChannel;
import be.needtoknow.referrals.recipient.Recipient;
import be.needtoknow.referrals.referral.TransferNotice.Answer;
import be.needtoknow.referrals.referral.TransferNotice.Party;

/**
 * X: before a transfer to another school is sent, the parents (and a pupil capable of
 * discernment) see the agreed item list and may object during a period
 * ({@code ntk.transfer.objection-period}, ten days by default), unless they all agree earlier. They
 * have no account: each party gets a link whose secret is the credential. They check the school's
 * action, so they are a party of their own: the service delivers each link straight to them through
 * the family's own channel (case-service mails it to the contacts the school platform imported,
 * {@link FamilyChannel}), and never hands it to the staff member who prepared the transfer, who
 * could otherwise agree on their behalf and skip the period. The school sees that, how and when each
 * link was sent, never the link itself.
 */
@ApplicationScoped
public class TransferNotices {

    static final String PURPOSE = "transfer to another school";
    /** The audit action of sending the current notices' links again, each with a new secret. */
    static final String RESEND = "transfer.notice.resend";

    @ConfigProperty(name = "ntk.transfer.objection-period")
    Duration period;

    @Inject
    AuditTrail audit;

    @Inject
    ItemLists itemLists;

    @Inject
    FamilyChannel family;

    /** The key of this service's referral grants, which case-service checks before it sends to a family (N1). */
    @Inject
    GrantKey grantKey;

    /**
     * A notice as the school sees it: to whom, how its link was sent, the period and the answer.
     * Never the link (X): its secret is the family's credential.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NoticeView(Party party, Sent sent, OffsetDateTime periodEndsAt, Answer answer,
            OffsetDateTime answeredAt, String objection) {
    }

    /** How a notice's link reached its party, as case-service answered: the channel, how many addresses, when, in words. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Sent(String channel, Integer addresses, OffsetDateTime sentAt, String summary) {
    }

    /** What the parents or the pupil see through their link. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HolderView(Party party, String school, String newSchool, String explanation, List<Item> items,
            OffsetDateTime periodEndsAt, String state, Answer answer, OffsetDateTime answeredAt) {
    }

    /**
     * The notices for the current items: one for the parents, one for the pupil when capable of
     * discernment, each link delivered to its party through case-service (X). A refusal of
     * case-service (no contact registered for the party, mail server down, ...) comes back as it is,
     * audited, and the request rolls back: no notice is stored, no consent recorded.
     */
    List<NoticeView> issue(Caller caller, Referral r, boolean pupilCapable) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        TransferNotice.supersede(r, now);
        List<TransferNotice> issued = new ArrayList<>();
        List<String> secrets = new ArrayList<>();
        for (Party party : pupilCapable ? List.of(Party.PARENTS, Party.PUPIL) : List.of(Party.PARENTS)) {
            String secretText = LinkSecrets.newSecret();
            TransferNotice n = new TransferNotice();
            n.id = UUID.randomUUID();
            n.referralId = r.id;
            n.party = party;
            n.secretHash = LinkSecrets.hash(secretText);
            n.itemsHash = r.itemsHash;
            n.issuedAt = now;
            n.periodEndsAt = now.plus(period);
            n.persist();
            issued.add(n);
            secrets.add(secretText);
        }
        deliverAll(caller, "referral.consent", r, issued, secrets);
        return issued.stream().map(TransferNotices::view).toList();
    }

    /**
     * X: the current notices' links again, each with a new secret (the old link no longer opens),
     * delivered to the same registered contacts as before: for a family that lost its mail, or
     * whose contacts the school platform has since corrected. Only while the notices may still be
     * answered: not once the transfer is sent or withdrawn, its items changed, or the period ended
     * (then the discussion is recorded again, which issues new notices with a new period).
     */
    List<NoticeView> resend(Caller caller, Referral r) {
        List<TransferNotice> notices = TransferNotice.current(r);
        if (notices.isEmpty()) {
            throw new Refused(caller, access(RESEND, r), "no current notice",
                    ProblemException.conflict("no-open-notice",
                    "This transfer has no notice for its current items: record the discussion first."));
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        for (TransferNotice n : notices) {
            String state = state(n, r, now);
            if (!state.equals("OPEN")) {
                throw new Refused(caller, access(RESEND, r), "notice is " + state,
                        ProblemException.conflict("notice-closed", "The notices can no longer be answered: "
                        + state.toLowerCase().replace('_', ' ') + (state.equals("PERIOD_ENDED")
                                ? ". Record the discussion again for new notices with a new period." : ".")));
            }
        }
        List<String> secrets = new ArrayList<>();
        for (TransferNotice n : notices) {
            String secretText = LinkSecrets.newSecret();
            n.secretHash = LinkSecrets.hash(secretText);
            secrets.add(secretText);
        }
        deliverAll(caller, RESEND, r, notices, secrets);
        audit.granted(caller, access(RESEND, r));
        return notices.stream().map(TransferNotices::view).toList();
    }

    /**
     * Delivers each notice's link (its secret at the same position) and keeps what case-service
     * answered. The pupil's first: a pupil is likelier than the parents to have no address in the
     * register, and that refusal then comes before any mail went out, so the parents never get a
     * link that the rollback left dead.
     */
    private void deliverAll(Caller caller, String action, Referral r, List<TransferNotice> notices, List<String> secrets) {
        // N1: case-service sends to a family only for a referral this service vouches for: this one, of
        // the caller (its owner, checked by Referrals), of this pupil. The grant never reaches the caller.
        String grant = ReferralGrant.of(r.id, r.schoolId, r.pupilId, caller.subject(), Instant.now()).sign(grantKey.key());
        for (int i = notices.size() - 1; i >= 0; i--) {
            deliver(caller, action, r, notices.get(i), secrets.get(i), grant);
        }
    }

    private void deliver(Caller caller, String action, Referral r, TransferNotice n, String secretText, String grant) {
        FamilyChannel.Delivered sent;
        try {
            sent = family.deliver(r.pupilId, r.id, grant, n.party.name(),
                    "/transfer-notices/" + LinkSecrets.link(n.id, secretText));
        } catch (ProblemException e) {
            String type = e.problem().type() == null ? "" : e.problem().type();
            throw new Refused(caller, access(action, r), "the " + n.party.name().toLowerCase() + "'s notice was not "
                    + "delivered: " + e.problem().status() + " " + type.substring(type.lastIndexOf(':') + 1), e);
        }
        n.sentMessageId = sent.messageId();
        n.sentChannel = sent.channel();
        n.sentAddresses = sent.addresses();
        n.sentAt = sent.sentAt();
        n.sentSummary = sent.summary();
    }

    private static NoticeView view(TransferNotice n) {
        Sent sent = n.sentAt == null ? null : new Sent(n.sentChannel, n.sentAddresses, n.sentAt, n.sentSummary);
        return new NoticeView(n.party, sent, n.periodEndsAt, n.answer, n.answeredAt, n.objection);
    }

    List<NoticeView> views(Referral r) {
        return TransferNotice.current(r).stream().map(TransferNotices::view).toList();
    }

    /** Why a transfer may not be sent yet, or empty when it may. */
    Optional<String> holdBack(Referral r, OffsetDateTime now) {
        return holdBack(TransferNotice.current(r), now);
    }

    /** The rule itself, over a transfer's current notices. */
    static Optional<String> holdBack(List<TransferNotice> notices, OffsetDateTime now) {
        if (notices.isEmpty()) {
            return Optional.of("The parents have not been shown this item list: record the discussion first.");
        }
        for (TransferNotice n : notices) {
            if (n.answer == Answer.OBJECTED) {
                return Optional.of("The " + n.party.name().toLowerCase() + " objected to this item list on "
                        + n.answeredAt.toLocalDate() + ": change the items and discuss them again, or withdraw.");
            }
        }
        boolean allAgreed = notices.stream().allMatch(n -> n.answer == Answer.AGREED);
        OffsetDateTime ends = notices.stream().map(n -> n.periodEndsAt).max(OffsetDateTime::compareTo).orElseThrow();
        if (!allAgreed && now.isBefore(ends)) {
            return Optional.of("The parents and the pupil may object until " + ends + ", unless they all agree earlier.");
        }
        return Optional.empty();
    }

    /** The notice a link opens, with its transfer; 404 (audited when the notice exists) for a wrong secret. */
    private Opened opened(String token, String action) {
        LinkSecrets.Presented link = LinkSecrets.Presented.of(token);
        // A lambda: Panache writes findById into the entity, a method reference would call the base class's.
        TransferNotice n = link.id().<TransferNotice>map(id -> TransferNotice.findById(id)).orElse(null);
        if (n == null) {
            throw ProblemException.notFound("Notice");
        }
        Referral r = Referral.findById(n.referralId);
        if (!link.matches(n.secretHash)) {
            throw new Refused(holder(n, r), access(action, r), "wrong link secret",
                    ProblemException.notFound("Notice"));
        }
        return new Opened(n, r);
    }

    private record Opened(TransferNotice notice, Referral referral) {
    }

    /** The parents or the pupil, as the audit trail names them: they act through their notice's link. */
    private static Caller holder(TransferNotice n, Referral r) {
        return new Caller("transfer-notice:" + n.id, n.party == Party.PARENTS ? "parents" : "pupil", Set.of(), r.schoolId,
                OrganisationType.SCHOOL);
    }

    private static Access access(String action, Referral r) {
        return new Access(action, r.schoolId, r.pupilId, "referral", r.id.toString(), PURPOSE, r.legalBasis);
    }

    private static String state(TransferNotice n, Referral r, OffsetDateTime now) {
        if (n.supersededAt != null) {
            return "SUPERSEDED";
        }
        if (r.status == ReferralStatus.WITHDRAWN) {
            return "WITHDRAWN";
        }
        if (r.sentAt != null) {
            return "SENT";
        }
        return now.isBefore(n.periodEndsAt) ? "OPEN" : "PERIOD_ENDED";
    }

    @Transactional
    public HolderView open(String token, Locale locale) {
        Opened o = opened(token, "transfer.notice.read");
        audit.granted(holder(o.notice(), o.referral()), access("transfer.notice.read", o.referral()));
        return holderView(o, locale);
    }

    @Transactional
    public HolderView answer(String token, Answer answer, String objection, Locale locale) {
        String action = answer == Answer.AGREED ? "transfer.notice.agree" : "transfer.notice.object";
        Opened o = opened(token, action);
        TransferNotice n = o.notice();
        // X, T2: an answer and a send (or a change of the items) of the same transfer run one after the
        // other, as every change of a referral does (Referral.ofSchoolForChange): the referral's row is
        // locked and both rows read again, so an objection is never lost beside a send that did not see
        // it, and a notice is answered once.
        Referral.getEntityManager().refresh(o.referral(), jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        Referral.getEntityManager().refresh(n);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String state = state(n, o.referral(), now);
        if (!state.equals("OPEN")) {
            throw new Refused(holder(n, o.referral()), access(action, o.referral()), "notice is " + state,
                    ProblemException.conflict("notice-closed", "This notice can no longer be answered: "
                    + state.toLowerCase().replace('_', ' ') + "."));
        }
        if (n.answer != null) {
            throw new Refused(holder(n, o.referral()), access(action, o.referral()), "already answered",
                    ProblemException.conflict("notice-already-answered", "This notice was answered on "
                    + n.answeredAt.toLocalDate() + "; the school can be asked to discuss the transfer again."));
        }
        n.answer = answer;
        n.answeredAt = now;
        n.objection = objection;
        audit.granted(holder(n, o.referral()), access(action, o.referral()));
        return holderView(o, locale);
    }

    private HolderView holderView(Opened o, Locale locale) {
        TransferNotice n = o.notice();
        Referral r = o.referral();
        String school = Recipient.byId(r.schoolId).map(s -> s.name).orElse(r.schoolId);
        String newSchool = Recipient.byId(r.recipientId).map(s -> s.name).orElse(r.recipientId);
        ResourceBundle texts = ResourceBundle.getBundle("notice.messages", locale);
        String state = state(n, r, OffsetDateTime.now(ZoneOffset.UTC));
        boolean withdrawn = state.equals("WITHDRAWN");
        String explanation = MessageFormat.format(texts.getString((withdrawn ? "withdrawn." : "explanation.")
                + (n.party == Party.PARENTS ? "parents" : "pupil")), school, newSchool,
                DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(locale).format(n.periodEndsAt));
        // The list this notice covers; once the items changed, a new notice shows the new list. A
        // withdrawn transfer passes nothing on (T3): the link says so and no longer shows the list.
        List<Item> items = state.equals("SUPERSEDED") || withdrawn ? null : itemLists.read(r.items);
        return new HolderView(n.party, school, newSchool, explanation, items, n.periodEndsAt, state, n.answer,
                n.answeredAt);
    }
}
