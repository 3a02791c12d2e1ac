package be.needtoknow.referrals.family;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import be.needtoknow.common.audit.AuditTrail;
import be.needtoknow.common.audit.AuditTrail.Access;
import be.needtoknow.common.audit.LegalBasis;
import be.needtoknow.common.audit.Refused;
import be.needtoknow.common.caller.Caller;
import be.needtoknow.common.caller.OrganisationType;
import be.needtoknow.common.caller.Roles;
import be.needtoknow.common.caller.UnidentifiedCaller;
import be.needtoknow.common.problem.ProblemException;
import be.needtoknow.common.referral.AccessGrant;
import be.needtoknow.common.referral.GrantKey;
import be.needtoknow.referrals.consent.ConsentRecord;
import be.needtoknow.referrals.recipient.Recipient;
import be.needtoknow.referrals.referral.Feedback;
import be.needtoknow.referrals.referral.Item;
import be.needtoknow.referrals.referral.Referral;
import be.needtoknow.referrals.referral.ReferralStatus;
import be.needtoknow.referrals.referral.TransferNotice;

/**
 * T4: the referrals and transfers of one pupil, for the parents or the pupil who asked the school
 * what it holds. case-service serves their package and vouches for the request with a signed
 * {@link AccessGrant}: the grant is the credential, there is no token. Every read it authorises is
 * audited with the link's holder as the actor, as case-service names them; a grant that does not
 * verify is refused and audited.
 * <p>
 * M1, M2, GDPR art. 15(4): from 12 the pupil decides whether the parents are informed of a referral.
 * case-service decides from its register whether the parents ask for a pupil of 12 or more
 * ({@link AccessGrant#parentsMayNotSee()}); such a package leaves out every referral whose consent
 * record says the parents are not to be informed, and says only that something was left out.
 */
@ApplicationScoped
public class PupilRecords {

    static final String PURPOSE = "right of access";
    static final String ACTION = "referral.read";

    /** What was sent at some point: a draft or a referral withdrawn before sending passed nothing on. */
    private static final Set<ReferralStatus> SENT = EnumSet.of(ReferralStatus.SENT, ReferralStatus.RECEIVED,
            ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.CLOSED, ReferralStatus.WITHDRAWN);

    private static final TypeReference<List<Item>> ITEMS = new TypeReference<>() {
    };

    /** The key both services hold; case-service signs its access grants with it. */
    @Inject
    GrantKey grantKey;

    @Inject
    AuditTrail audit;

    @Inject
    ObjectMapper json;

    @Transactional
    public PupilRecordsView read(String token) {
        AccessGrant grant = AccessGrant.verify(token, grantKey.key(), Instant.now()).orElse(null);
        if (grant == null) {
            // Nobody can be named: an unverified grant's fields are not believed (never logged either).
            throw Refused.beforeTheCallerIsKnown(UnidentifiedCaller.ANONYMOUS, ACTION, "access grant does not verify",
                    ProblemException.forbidden("invalid-access-grant", "Only case-service, serving a right-of-access "
                    + "package, may read a pupil's records here."));
        }
        Caller holder = holder(grant);
        List<PupilRecordsView.PupilReferral> shown = new ArrayList<>();
        List<Access> reads = new ArrayList<>();
        boolean keptFromParents = false;
        List<Referral> all = Referral.list("schoolId = ?1 and pupilId = ?2 and sentAt is not null order by sentAt",
                grant.schoolId(), grant.pupilId());
        for (Referral r : all) {
            if (!SENT.contains(r.status)) {
                continue;
            }
            ConsentRecord consent = consent(r);
            if (grant.parentsMayNotSee() && consent != null && consent.parentsNotInformed()) {
                keptFromParents = true; // M1: the pupil's decision; the package says only that something is left out
                continue;
            }
            shown.add(view(r, consent));
            reads.add(new Access(ACTION, r.schoolId, r.pupilId, "referral", r.id.toString(), PURPOSE,
                    LegalBasis.LEGAL_OBLIGATION));
        }
        // A1: the read itself, also when it found nothing, then one record per referral shown.
        reads.add(0, new Access("pupil-records.read", grant.schoolId(), grant.pupilId(), "access-request",
                grant.requestId().toString(), PURPOSE, LegalBasis.LEGAL_OBLIGATION));
        audit.granted(holder, reads);
        return new PupilRecordsView(shown, keptFromParents ? List.of(PupilRecordsView.KEPT_FROM_PARENTS) : List.of());
    }

    /**
     * M1: the referrals the pupil kept from the parents (consent record: parents not to be informed), as
     * the trail names them, for the school's DPO, whose access report for the parents leaves them out as
     * the package does: ids and ground, never content. Audited.
     */
    @Transactional
    public KeptFromParents keptFromParents(Caller caller, String pupilId) {
        Access access = new Access("pupil-records.kept-from-parents", caller.organisationId(), pupilId, "pupil", pupilId,
                PURPOSE, LegalBasis.LEGAL_OBLIGATION);
        if (!caller.hasRole(Roles.DPO) || caller.organisationType() != OrganisationType.SCHOOL) {
            throw new Refused(caller, access, "not a school's DPO", ProblemException.forbidden("not-dpo",
                    "What the parents' copy leaves out is for the school's DPO, who makes their access report."));
        }
        List<KeptFromParents.Resource> kept = new ArrayList<>();
        for (Referral r : Referral.<Referral>list("schoolId = ?1 and pupilId = ?2 order by createdAt",
                caller.organisationId(), pupilId)) {
            ConsentRecord consent = consent(r);
            if (consent != null && consent.parentsNotInformed()) {
                kept.add(new KeptFromParents.Resource("referral", r.id.toString(), PupilRecordsView.KEPT_FROM_PARENTS));
            }
        }
        audit.granted(caller, access);
        return new KeptFromParents(kept);
    }

    /** What the parents' copy leaves out: the trail's resources, each with its ground. */
    public record KeptFromParents(List<Resource> resources) {
        /** One resource of the trail ({@code resourceType}, {@code resourceId}) and the ground it is left out on. */
        public record Resource(String resourceType, String resourceId, String ground) {
        }
    }

    /** The parents or the pupil, as case-service's trail names them: they act through their access link. */
    private static Caller holder(AccessGrant grant) {
        return new Caller("access-request:" + grant.requestId(),
                grant.requester() == AccessGrant.Requester.PARENTS ? "parents-link" : "pupil-link", Set.of(),
                grant.schoolId(), OrganisationType.SCHOOL);
    }

    private PupilRecordsView.PupilReferral view(Referral r, ConsentRecord consent) {
        Recipient recipient = Recipient.byId(r.recipientId).orElse(null);
        List<PupilRecordsView.PupilTransferNotice> notices = r.kind != Referral.Kind.TRANSFER ? null
                : TransferNotice.<TransferNotice>list("referralId = ?1 order by issuedAt, party", r.id).stream()
                        .map(n -> new PupilRecordsView.PupilTransferNotice(n.party, n.issuedAt, n.periodEndsAt, n.answer, n.answeredAt,
                                n.objection, n.supersededAt))
                        .toList();
        // C2: only what the recipient released for the school is stored at all.
        List<Feedback.View> feedback = Feedback.<Feedback>list("referralId = ?1 order by releasedAt", r.id).stream()
                .map(f -> new Feedback.View(f.text, f.releasedBy, f.releasedAt)).toList();
        return new PupilRecordsView.PupilReferral(r.kind.name(), recipient == null ? r.recipientId : recipient.name,
                recipient == null ? null : recipient.type.name(), r.status.name(), r.sentAt, r.legalBasis, items(r),
                consent, notices, feedback);
    }

    private List<Item> items(Referral r) {
        try {
            return json.readValue(r.items, ITEMS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private ConsentRecord consent(Referral r) {
        if (r.consent == null) {
            return null; // sent on another legal basis (urgent danger)
        }
        try {
            return json.readValue(r.consent, ConsentRecord.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
