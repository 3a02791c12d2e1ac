package be.needtoknow.cases.family;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import be.needtoknow.cases.pupil.FamilyContact.Addressee;
import be.needtoknow.cases.pupil.Pupil;
import be.needtoknow.common.audit.AuditTrail;
import be.needtoknow.common.audit.LegalBasis;
import be.needtoknow.common.audit.Refused;
import be.needtoknow.common.caller.Caller;
import be.needtoknow.common.problem.ProblemException;
import be.needtoknow.common.referral.GrantKey;
import be.needtoknow.common.referral.ReferralGrant;

/**
 * X: referral-service hands case-service a transfer notice's link for the family channel, inside the
 * request of the counsellor who recorded the discussion: the link goes to the parents' (or the
 * pupil's) registered addresses, and the counsellor's answer says only that it went. Accepted only
 * with referral-service's grant for this referral, its owner, school and pupil, which a caller
 * cannot make ({@link ReferralGrant}): a staff member cannot send the family a link of their own.
 */
@ApplicationScoped
public class TransferNoticeDelivery {

    static final String PURPOSE = "transfer to another school";

    /**
     * What referral-service asks: the referral, its grant, the kind of notice (a transfer's, by
     * default, or a referral's), the addressee and the notice's page (path with secret).
     */
    public record Request(@NotNull UUID referralId, @NotBlank @Size(max = 2000) String grant, FamilyMessage.Kind kind,
            @NotNull Addressee addressee,
            @NotNull @Pattern(regexp = "/(transfer|referral)-notices/[0-9a-f-]{36}\\.[A-Za-z0-9_-]{43}",
                    message = "a transfer or referral notice's path") String path) {

        FamilyMessage.Kind kindOrTransfer() {
            return kind == null ? FamilyMessage.Kind.TRANSFER_NOTICE : kind;
        }
    }

    /** The key referral-service signs its referral grants with (shared by the two services only). */
    @Inject
    GrantKey grantKey;

    @Inject
    FamilyChannel channel;

    @Transactional
    public Delivery deliver(Caller caller, String pupilId, Request request) {
        AuditTrail.Access access = new AuditTrail.Access("family-message.send", caller.organisationId(), pupilId,
                "referral", request.referralId().toString(), PURPOSE, LegalBasis.CONSENT);
        ReferralGrant grant = ReferralGrant.verify(request.grant(), grantKey.key(), Instant.now()).orElse(null);
        if (grant == null || !grant.referralId().equals(request.referralId()) || !grant.subject().equals(caller.subject())
                || !grant.schoolId().equals(caller.organisationId()) || !grant.pupilId().equals(pupilId)) {
            throw new Refused(caller, access, "no transfer of the caller's that referral-service vouches for (X)",
                    ProblemException.refusedByRule("X", "referral-not-verified", "Only referral-service sends the "
                            + "family a transfer notice, for the transfer of yours it is recording the discussion of."));
        }
        FamilyMessage.Kind kind = request.kindOrTransfer();
        boolean pathFits = kind == FamilyMessage.Kind.TRANSFER_NOTICE ? request.path().startsWith("/transfer-notices/")
                : kind == FamilyMessage.Kind.REFERRAL_NOTICE && request.path().startsWith("/referral-notices/");
        if (!pathFits) {
            throw new Refused(caller, access, "a notice's path of another kind",
                    ProblemException.badRequest("notice-path-mismatch", "A " + kind + " links to its own page only."));
        }
        Pupil pupil = Pupil.of(caller.organisationId(), pupilId).orElse(null);
        if (pupil == null) {
            throw new Refused(caller, access, "unknown pupil", ProblemException.notFound("Pupil '" + pupilId + "'"));
        }
        return channel.deliver(caller, pupil, new FamilyChannel.Message(kind,
                request.addressee(), request.path(), "referral", request.referralId().toString(), access));
    }
}
