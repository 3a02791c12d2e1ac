package be.needtoknow.referrals.referral;

import java.text.MessageFormat;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

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
import be.needtoknow.referrals.referral.TransferNotice.Party;
import be.needtoknow.referrals.referral.Transitions.Side;

/**
 * T1, T3, M1, M2: a referral sent with consent tells the family what went to whom and when, and lets
 * the party whose consent counted withdraw it. The pupil's consent counts from 12 (M1), the parents'
 * below (M2), as decided when consent was recorded. The parents of a pupil of 12 or more are informed
 * too, unless the pupil asked that they not be (M1: then they get nothing); their notice shows, but
 * cannot withdraw what was not theirs to give.
 * <p>
 * The family is a party of its own: each link goes straight to them through their own channel
 * (case-service mails it to the contacts the school platform imported, {@link FamilyChannel}), never
 * to the counsellor who sent the referral; the school sees that, how and when each link was sent,
 * never the link. A withdrawal through the link is the school's withdrawal (T3): the same code path
 * ({@link Referrals#withdrawn}), the same {@code withdrawn} event on the recipient's topic, audited
 * with the link's holder as the actor.
 */
@ApplicationScoped
public class ReferralNotices {

    /** The audit action of reading a referral notice through its link. */
    static final String READ = "referral.notice.read";
    /** The audit action of sending a referral's notices again. */
    static final String RESEND = "referral.notice.resend";
    /** The family's withdrawal is the school's withdrawal: the same audit action (T3). */
    static final String WITHDRAW = "referral.withdraw";

    @Inject
    AuditTrail audit;

    @Inject
    ItemLists itemLists;

    @Inject
    FamilyChannel family;

    @Inject
    Referrals referrals;

    /** The key of this service's referral grants, which case-service checks before it sends to a family (N1). */
    @Inject
    GrantKey grantKey;

    /** What the parents or the pupil see through their link: never an internal id, never the link. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "ReferralNoticeView")
    public record HolderView(Party party, String school, String recipient, Recipient.Type recipientType,
            OffsetDateTime sentAt, List<Item> items, ReferralStatus status, String state, boolean consentCounted,
            boolean mayWithdraw, String explanation, Referral.WithdrawnBy withdrawnBy, OffsetDateTime withdrawnAt) {
    }

    /**
     * The notices of a referral that is being sent with consent, each link delivered to its party
     * through case-service (T1, M1, M2). A refusal of case-service (no contact registered, mail server
     * down, ...) comes back as it is, audited, and the send rolls back: nothing is stored, nothing
     * sent to the recipient (the event is in the same transaction's outbox).
     *
     * @param pupilCapable       M1: as decided when consent was recorded
     * @param parentsNotInformed M1: the pupil asked that the parents not be informed
     */
    List<TransferNotices.NoticeView> issue(Caller caller, Referral r, boolean pupilCapable, boolean parentsNotInformed) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        // The pupil's first: a pupil is likelier than the parents to have no address in the register,
        // and that refusal then comes before any mail went out, so the parents never get a dead link.
        List<Party> parties = new ArrayList<>();
        if (pupilCapable) {
            parties.add(Party.PUPIL);
        }
        // M1: never to the parents when the pupil asked that they not be informed; M2: below 12 theirs is the consent.
        if (!pupilCapable || !parentsNotInformed) {
            parties.add(Party.PARENTS);
        }
        // N1: case-service sends to a family only for a referral this service vouches for: this one, of
        // the caller (its owner, checked by Referrals), of this pupil. The grant never reaches the caller.
        String grant = ReferralGrant.of(r.id, r.schoolId, r.pupilId, caller.subject(), Instant.now()).sign(grantKey.key());
        List<ReferralNotice> issued = new ArrayList<>();
        for (Party party : parties) {
            String secretText = LinkSecrets.newSecret();
            ReferralNotice n = new ReferralNotice();
            n.id = UUID.randomUUID();
            n.referralId = r.id;
            n.party = party;
            n.consentCounted = party == Party.PUPIL ? pupilCapable : !pupilCapable;
            n.secretHash = LinkSecrets.hash(secretText);
            n.issuedAt = now;
            deliver(caller, "referral.send", r, n, secretText, grant);
            n.persist();
            issued.add(n);
        }
        return issued.stream().map(ReferralNotices::view).toList();
    }

    /**
     * T3: the referral's notices again, each with a new secret (the old link no longer opens), to the
     * same registered contacts: for a family that lost its mail, or whose contacts the school platform
     * has since corrected. 409 when none was issued (not sent, or sent on urgent danger).
     */
    List<TransferNotices.NoticeView> resend(Caller caller, Referral r) {
        List<ReferralNotice> notices = ReferralNotice.of(r);
        if (notices.isEmpty()) {
            throw new Refused(caller, Referrals.access(RESEND, r), "no notice issued",
                    ProblemException.conflict("no-open-notice", "This referral has no notice for the family: notices "
                    + "are sent with a referral sent with consent."));
        }
        String grant = ReferralGrant.of(r.id, r.schoolId, r.pupilId, caller.subject(), Instant.now()).sign(grantKey.key());
        // The pupil's first, as when issued: a refusal comes before any mail went out.
        List<ReferralNotice> ordered = notices.stream()
                .sorted(java.util.Comparator.comparing((ReferralNotice n) -> n.party != Party.PUPIL)).toList();
        for (ReferralNotice n : ordered) {
            String secretText = LinkSecrets.newSecret();
            n.secretHash = LinkSecrets.hash(secretText);
            deliver(caller, RESEND, r, n, secretText, grant);
        }
        audit.granted(caller, Referrals.access(RESEND, r));
        return notices.stream().map(ReferralNotices::view).toList();
    }

    private void deliver(Caller caller, String action, Referral r, ReferralNotice n, String secretText, String grant) {
        FamilyChannel.Delivered sent;
        try {
            sent = family.deliver(r.pupilId, r.id, grant, FamilyChannel.REFERRAL_NOTICE, n.party.name(),
                    "/referral-notices/" + LinkSecrets.link(n.id, secretText));
        } catch (ProblemException e) {
            String type = e.problem().type() == null ? "" : e.problem().type();
            throw new Refused(caller, Referrals.access(action, r), "the " + n.party.name().toLowerCase()
                    + "'s notice was not delivered: " + e.problem().status() + " " + type.substring(type.lastIndexOf(':') + 1),
                    e);
        }
        n.sentMessageId = sent.messageId();
        n.sentChannel = sent.channel();
        n.sentAddresses = sent.addresses();
        n.sentAt = sent.sentAt();
        n.sentSummary = sent.summary();
    }

    /** A notice as the school sees it: to whom and how its link was sent; never the link (X, T1). */
    private static TransferNotices.NoticeView view(ReferralNotice n) {
        TransferNotices.Sent sent = n.sentAt == null ? null
                : new TransferNotices.Sent(n.sentChannel, n.sentAddresses, n.sentAt, n.sentSummary);
        return new TransferNotices.NoticeView(n.party, sent, null, null, null, null);
    }

    /** The referral's notices as the school sees them, or null when none was issued (a draft, urgent danger). */
    List<TransferNotices.NoticeView> views(Referral r) {
        List<ReferralNotice> notices = ReferralNotice.of(r);
        return notices.isEmpty() ? null : notices.stream().map(ReferralNotices::view).toList();
    }

    /** T3: the family's reason for withdrawing, for the school; null when the school withdrew or gave none. */
    String withdrawalReason(Referral r) {
        return ReferralNotice.of(r).stream().filter(n -> n.withdrawnAt != null).map(n -> n.withdrawalReason)
                .filter(reason -> reason != null).findFirst().orElse(null);
    }

    /** The notice a link opens, with its referral; 404 (audited when the notice exists) for a wrong secret. */
    private Opened opened(String token, String action) {
        LinkSecrets.Presented link = LinkSecrets.Presented.of(token);
        // A lambda: Panache writes findById into the entity, a method reference would call the base class's.
        ReferralNotice n = link.id().<ReferralNotice>map(id -> ReferralNotice.findById(id)).orElse(null);
        if (n == null) {
            throw ProblemException.notFound("Notice");
        }
        Referral r = Referral.findById(n.referralId);
        if (!link.matches(n.secretHash)) {
            throw new Refused(holder(n, r), Referrals.access(action, r), "wrong link secret",
                    ProblemException.notFound("Notice"));
        }
        return new Opened(n, r);
    }

    private record Opened(ReferralNotice notice, Referral referral) {
    }

    /** The parents or the pupil, as the audit trail names them: they act through their notice's link. */
    private static Caller holder(ReferralNotice n, Referral r) {
        return new Caller("referral-notice:" + n.id, n.party == Party.PARENTS ? "parents-link" : "pupil-link", Set.of(),
                r.schoolId, OrganisationType.SCHOOL);
    }

    @Transactional
    public HolderView open(String token, Locale locale) {
        Opened o = opened(token, READ);
        audit.granted(holder(o.notice(), o.referral()), Referrals.access(READ, o.referral()));
        return holderView(o.notice(), o.referral(), locale);
    }

    /**
     * T3: the holder withdraws the consent that counted. Refused 403 (M1) through a notice that only
     * informs, 409 once the referral was declined, closed or withdrawn; else the referral is withdrawn
     * as the school withdraws it, and the school sees who withdrew, when and why.
     */
    @Transactional
    public HolderView withdraw(String token, String reason, Locale locale) {
        Opened o = opened(token, WITHDRAW);
        ReferralNotice n = o.notice();
        Referral r = o.referral();
        Caller holder = holder(n, r);
        // T3: a withdrawal and every other change of the referral run one after the other (as
        // Referral.ofSchoolForChange): its row locked, both rows read again, so that many withdrawals
        // at once withdraw once, and a recipient's move and a withdrawal never both win.
        Referral.getEntityManager().refresh(r, LockModeType.PESSIMISTIC_WRITE);
        Referral.getEntityManager().refresh(n);
        if (!n.consentCounted) {
            throw new Refused(holder, Referrals.access(WITHDRAW, r), "an informative notice: the pupil's consent counts (M1)",
                    ProblemException.refusedByRule("M1", "notice-informs-only", "The pupil is capable of discernment: "
                    + "the pupil's own consent counts, and only the pupil can withdraw it. This notice informs the "
                    + "parents; they can talk to the school."));
        }
        referrals.withdrawn(holder, r, Side.FAMILY,
                n.party == Party.PUPIL ? Referral.WithdrawnBy.PUPIL : Referral.WithdrawnBy.PARENTS);
        n.withdrawnAt = r.withdrawnAt;
        n.withdrawalReason = reason == null || reason.isBlank() ? null : reason;
        return holderView(n, r, locale);
    }

    /** What the page says of the notice: whether it may withdraw now, informs only, or the referral ended. */
    static String state(ReferralNotice n, Referral r) {
        if (r.status == ReferralStatus.WITHDRAWN) {
            return "WITHDRAWN";
        }
        if (!Transitions.allowed(Transitions.Action.WITHDRAW, Side.FAMILY, r.status)) {
            return "ENDED";
        }
        return n.consentCounted ? "OPEN" : "INFORMED";
    }

    private HolderView holderView(ReferralNotice n, Referral r, Locale locale) {
        String school = Recipient.byId(r.schoolId).map(s -> s.name).orElse(r.schoolId);
        Recipient recipient = Recipient.byId(r.recipientId).orElse(null);
        String recipientName = recipient == null ? r.recipientId : recipient.name;
        String state = state(n, r);
        ResourceBundle texts = ResourceBundle.getBundle("referral-notice.messages", locale);
        String explanation = MessageFormat.format(texts.getString("explanation." + state + "."
                + (n.party == Party.PARENTS ? "parents" : "pupil")), school, recipientName);
        // What went, as it went: the recipient received these items; a withdrawal does not undo that (T3).
        return new HolderView(n.party, school, recipientName, recipient == null ? null : recipient.type, r.sentAt,
                itemLists.read(r.items), r.status, state, n.consentCounted, state.equals("OPEN"), explanation,
                r.withdrawnBy, r.withdrawnAt);
    }
}
