package be.needtoknow.cases.access;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PastOrPresent;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.annotation.JsonInclude;

import be.needtoknow.cases.access.AccessRequest.Requester;
import be.needtoknow.cases.casefile.CareTeamMember;
import be.needtoknow.cases.casefile.CaseFile;
import be.needtoknow.cases.casefile.CaseFileAccess;
import be.needtoknow.cases.casefile.CaseFiles;
import be.needtoknow.cases.discipline.DisciplineMeasure;
import be.needtoknow.cases.family.Delivery;
import be.needtoknow.cases.family.FamilyChannel;
import be.needtoknow.cases.family.FamilyMessage;
import be.needtoknow.cases.pupil.FamilyContact.Addressee;
import be.needtoknow.cases.note.ConfidentialityNotice;
import be.needtoknow.cases.note.Note;
import be.needtoknow.cases.pupil.Pupil;
import be.needtoknow.cases.signal.Signal;
import be.needtoknow.common.audit.AuditTrail;
import be.needtoknow.common.audit.AuditTrail.Access;
import be.needtoknow.common.audit.LegalBasis;
import be.needtoknow.common.audit.Refused;
import be.needtoknow.common.caller.Caller;
import be.needtoknow.common.caller.OrganisationType;
import be.needtoknow.common.caller.Roles;
import be.needtoknow.common.caller.UnidentifiedCaller;
import be.needtoknow.common.link.LinkSecrets;
import be.needtoknow.common.problem.Problem;
import be.needtoknow.common.problem.ProblemException;

/**
 * T4: parents and pupil can learn what the school holds. The school's DPO registers their request
 * (who asked, when, how their identity was checked) and the suite issues one link for the
 * requester, whose secret is the credential ({@code ntk.access.link-validity}, 30 days by default).
 * The DPO sees that a request was made and whether its link was read, never the content: the DPO's
 * task is the audit trail, not case content (N3), and no staff member gets a whole-pupil export
 * (N3; R1: the discipline register and the care file stay apart inside the school). See
 * docs/rules.md.
 */
@ApplicationScoped
public class AccessRequests {

    static final String PURPOSE = "right of access";
    static final String PATH = "/access-packages/";
    /** The age from which a pupil may ask on their own (M1). */
    static final int AGE_OF_DISCERNMENT = 12;
    private static final ZoneId SCHOOL_ZONE = ZoneId.of("Europe/Brussels");

    @ConfigProperty(name = "ntk.access.link-validity", defaultValue = "P30D")
    Duration validity;

    /** The case-file gate: the package's case files are found through it (T4). */
    @Inject
    CaseFiles caseFiles;

    @Inject
    AuditTrail audit;

    @Inject
    FamilyChannel family;

    @Inject
    ReferralRecords referralRecords;

    /** What the DPO registers. */
    public record Register(@NotNull Requester requestedBy, @NotNull @PastOrPresent OffsetDateTime requestedAt,
            @NotBlank @Size(max = 500) String identityCheck) {
    }

    /**
     * A request as the DPO sees it: never the content and never the link (its secret is the
     * requester's credential, which went to the requester's own address): when and how it was sent.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RequestView(UUID id, String pupilId, Requester requestedBy, OffsetDateTime requestedAt,
            String identityCheck, String registeredBy, OffsetDateTime registeredAt, OffsetDateTime expiresAt,
            OffsetDateTime firstReadAt, Integer readCount, Delivery sent) {
        static RequestView of(AccessRequest r, Delivery sent) {
            return new RequestView(r.id, r.pupilId, r.requestedBy, r.requestedAt, r.identityCheck, r.registeredBy,
                    r.registeredAt, r.expiresAt, r.firstReadAt, r.readCount, sent);
        }

        static RequestView of(AccessRequest r) {
            return of(r, Delivery.latestAbout(ABOUT, r.id.toString()).orElse(null));
        }
    }

    /** What a family message about a request names as its record. */
    static final String ABOUT = "access-request";

    /** M1: from 12 a pupil is presumed capable of discernment, and may ask on their own. */
    static boolean capableOfDiscernment(LocalDate birthDate, LocalDate on) {
        return !on.isBefore(birthDate) && Period.between(birthDate, on).getYears() >= AGE_OF_DISCERNMENT;
    }

    private static Access access(String action, String organisationId, String pupilId, UUID id) {
        return new Access(action, organisationId, pupilId, "access-request", id == null ? null : id.toString(), PURPOSE,
                LegalBasis.LEGAL_OBLIGATION);
    }

    /** The school's pupil, for its DPO only: 403 for anyone else, 404 for another school's pupil. Audited. */
    private Pupil pupilForDpo(Caller caller, String pupilId, String action) {
        Access attempt = access(action, caller.organisationId(), pupilId, null);
        if (!caller.hasRole(Roles.DPO)) {
            throw new Refused(caller, attempt, "not the DPO",
                    ProblemException.forbidden("not-dpo", "Requests for access are registered and followed by the "
                    + "school's DPO."));
        }
        Pupil pupil = caller.organisationType() == OrganisationType.SCHOOL
                ? Pupil.of(caller.organisationId(), pupilId).orElse(null) : null;
        if (pupil == null) {
            throw new Refused(caller, attempt, "unknown pupil",
                    ProblemException.notFound("Pupil '" + pupilId + "'"));
        }
        return pupil;
    }

    /**
     * M1, GDPR art. 15(4): what a copy for the parents of a pupil of 12 or more leaves out, as the trail
     * names it: the pupil's conversation notes, the pupil's own requests for access and the messages sent
     * to the pupil, each with its ground. Empty for a pupil under 12. For the school's DPO, whose access
     * report for the parents applies the same filter as
     * the package: ids and grounds, never content. Audited.
     */
    @Transactional
    public KeptFromParents keptFromParents(Caller caller, String pupilId) {
        Pupil pupil = pupilForDpo(caller, pupilId, "access-report.kept-from-parents");
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        boolean pupilsOwnWord = capableOfDiscernment(pupil.birthDate, now.atZoneSameInstant(SCHOOL_ZONE).toLocalDate());
        List<KeptFromParents.Resource> kept = new ArrayList<>();
        if (pupilsOwnWord) {
            caseFiles.ofPupilForRightOfAccess(caller.organisationId(), pupilId).stream()
                    .flatMap(f -> Note.ofCaseFile(f.id).stream())
                    .filter(n -> n.kind == Note.Kind.CONVERSATION)
                    .forEach(n -> kept.add(new KeptFromParents.Resource("note", n.id.toString(),
                            AccessPackage.PUPIL_CONVERSATIONS)));
            // The pupil's own requests for access, and what the suite sent the pupil (their own links).
            AccessRequest.<AccessRequest>list("organisationId = ?1 and pupilId = ?2 and requestedBy = ?3",
                    caller.organisationId(), pupilId, Requester.PUPIL)
                    .forEach(r -> kept.add(new KeptFromParents.Resource(ABOUT, r.id.toString(), PUPILS_OWN)));
            FamilyMessage.<FamilyMessage>list("organisationId = ?1 and pupilId = ?2 and addressee = ?3",
                    caller.organisationId(), pupilId, Addressee.PUPIL)
                    .forEach(m -> kept.add(new KeptFromParents.Resource("family-message", m.id.toString(), PUPILS_OWN)));
        }
        audit.granted(caller, access("access-report.kept-from-parents", caller.organisationId(), pupilId, null));
        return new KeptFromParents(pupilsOwnWord, kept);
    }

    /** M1: the pupil's own requests for access and the messages the suite sent the pupil, from 12. */
    static final String PUPILS_OWN = "pupil-own-requests-and-messages";

    /** What the parents' copy leaves out: whether the pupil has their own say (12 or more), and the resources. */
    public record KeptFromParents(boolean pupilsOwnWord, List<Resource> resources) {
        /** One resource of the trail ({@code resourceType}, {@code resourceId}) and the ground it is left out on. */
        public record Resource(String resourceType, String resourceId, String ground) {
        }
    }

    @Transactional
    public RequestView register(Caller caller, String pupilId, Register request) {
        Pupil pupil = pupilForDpo(caller, pupilId, "access-request.register");
        LocalDate asked = request.requestedAt().atZoneSameInstant(SCHOOL_ZONE).toLocalDate();
        if (request.requestedBy() == Requester.PUPIL && !capableOfDiscernment(pupil.birthDate, asked)) {
            throw new Refused(caller, access("access-request.register", caller.organisationId(), pupilId, null),
                    "the pupil was under 12 when asking (M1)",
                    new ProblemException(Problem.of(409, "pupil-under-twelve", "Refused by rule M1",
                    "The pupil was under 12 on " + asked + ": below 12 the parents ask for the pupil.").withRule("M1")));
        }
        String secret = LinkSecrets.newSecret();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        AccessRequest r = new AccessRequest();
        r.id = UUID.randomUUID();
        r.organisationId = caller.organisationId();
        r.pupilId = pupilId;
        r.requestedBy = request.requestedBy();
        r.requestedAt = request.requestedAt();
        r.identityCheck = request.identityCheck();
        r.registeredBy = caller.username();
        r.registeredAt = now;
        r.secretHash = LinkSecrets.hash(secret);
        r.expiresAt = now.plus(validity);
        r.persist();
        audit.granted(caller, access("access-request.register", r.organisationId, pupilId, r.id));
        return RequestView.of(r, send(caller, pupil, r, secret));
    }

    /**
     * T4, N3: the only time the secret leaves the service: straight to the requester's registered
     * addresses (the parents', or the pupil's own from 12), never to the DPO, who registered the
     * request and reviews the trail of its reads.
     */
    private Delivery send(Caller caller, Pupil pupil, AccessRequest r, String secret) {
        return family.deliver(caller, pupil, new FamilyChannel.Message(FamilyMessage.Kind.ACCESS_PACKAGE,
                r.requestedBy == Requester.PARENTS ? Addressee.PARENTS : Addressee.PUPIL,
                PATH + LinkSecrets.link(r.id, secret), ABOUT, r.id.toString(),
                access("access-request.send", r.organisationId, r.pupilId, r.id)));
    }

    /**
     * The requester lost the mail, or it went to an address the school platform has since corrected:
     * a new link (the old one stops working), sent again to the addresses registered now, never to
     * one given in the request. For the school's DPO, while the link has not expired.
     */
    @Transactional
    public RequestView resend(Caller caller, String pupilId, UUID requestId) {
        Pupil pupil = pupilForDpo(caller, pupilId, "access-request.resend");
        AccessRequest r = AccessRequest.<AccessRequest>findByIdOptional(requestId)
                .filter(found -> found.organisationId.equals(caller.organisationId()) && found.pupilId.equals(pupilId))
                .orElse(null);
        if (r == null) {
            throw new Refused(caller, access("access-request.resend", caller.organisationId(), pupilId, requestId),
                    "unknown request", ProblemException.notFound("Request " + requestId));
        }
        if (!OffsetDateTime.now(ZoneOffset.UTC).isBefore(r.expiresAt)) {
            throw new Refused(caller, access("access-request.resend", r.organisationId, pupilId, r.id), "link expired",
                    ProblemException.conflict("link-expired", "This request's link expired on " + r.expiresAt.toLocalDate()
                            + ": register the request again."));
        }
        String secret = LinkSecrets.newSecret();
        r.secretHash = LinkSecrets.hash(secret);
        audit.granted(caller, access("access-request.resend", r.organisationId, pupilId, r.id));
        return RequestView.of(r, send(caller, pupil, r, secret));
    }

    @Transactional
    public List<RequestView> list(Caller caller, String pupilId) {
        pupilForDpo(caller, pupilId, "access-request.list");
        List<AccessRequest> requests = AccessRequest.of(caller.organisationId(), pupilId);
        audit.granted(caller, access("access-request.list", caller.organisationId(), pupilId, null));
        return requests.stream().map(RequestView::of).toList();
    }

    /**
     * The package a link opens. A link whose request is unknown is 404 (audited against the
     * endpoint, no pupil can be named); a wrong secret is 404 and audited against the request's
     * pupil; an expired link is 410. Reading is audited with the link's holder as the actor.
     */
    @Transactional
    public AccessPackage open(String link) {
        return openWithSchool(link).content();
    }

    /** A package with the school it comes from (the page names the school; the JSON stays as it is). */
    public record Opened(String organisationId, AccessPackage content) {
    }

    /** As {@link #open}, with the school whose pupil file it shows. */
    @Transactional
    public Opened openWithSchool(String link) {
        LinkSecrets.Presented presented = LinkSecrets.Presented.of(link);
        // A lambda: Panache writes findById into the entity, a method reference would call the base class's.
        AccessRequest r = presented.id().<AccessRequest>map(id -> AccessRequest.findById(id)).orElse(null);
        if (r == null) {
            throw Refused.beforeTheCallerIsKnown(UnidentifiedCaller.ANONYMOUS, "access-package.read", "unknown link",
                    ProblemException.notFound("Access package"));
        }
        Caller holder = holder(r);
        Access access = access("access-package.read", r.organisationId, r.pupilId, r.id);
        if (!presented.matches(r.secretHash)) {
            throw new Refused(holder, access, "wrong link secret",
                    ProblemException.notFound("Access package"));
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        if (!now.isBefore(r.expiresAt)) {
            throw new Refused(holder, access, "link expired",
                    new ProblemException(Problem.of(410, "link-expired", "Gone", "This link expired on "
                    + r.expiresAt.toLocalDate() + ". The school's DPO can send a new link to your registered address.")));
        }
        Pupil pupil = Pupil.of(r.organisationId, r.pupilId).orElseThrow();
        if (r.firstReadAt == null) {
            r.firstReadAt = now;
        }
        r.readCount++;
        audit.granted(holder, access);
        boolean pupilsOwnWord = pupilsOwnWord(r, pupil, now);
        // T4: referral-service's records too, asked only for a link verified here; M1: it is told whether the
        // parents ask for a pupil of 12 or more, decided on this service's register.
        return new Opened(r.organisationId, content(r, pupil, now, referralRecords.of(r, pupilsOwnWord)));
    }

    /** M1: the parents ask, and the pupil is 12 or more today: what the pupil kept from them stays out. */
    private static boolean pupilsOwnWord(AccessRequest r, Pupil pupil, OffsetDateTime now) {
        return r.requestedBy == Requester.PARENTS
                && capableOfDiscernment(pupil.birthDate, now.atZoneSameInstant(SCHOOL_ZONE).toLocalDate());
    }

    /** The parents or the pupil, as the audit trail names them: they act through the link sent to their own address. */
    private static Caller holder(AccessRequest r) {
        return new Caller("access-request:" + r.id, r.requestedBy == Requester.PARENTS ? "parents-link" : "pupil-link",
                Set.of(), r.organisationId, OrganisationType.SCHOOL);
    }

    /**
     * What the school holds on the pupil, as the parents and the pupil may learn it (T4). From 12 the
     * pupil exercises their rights personally (M1; GDPR art. 15(4): a copy must not adversely affect
     * the rights of others): a package for the parents of a pupil of 12 or more leaves out the pupil's
     * own conversation notes, and the referrals the pupil kept from them (referral-service's filter),
     * and says so.
     */
    private AccessPackage content(AccessRequest r, Pupil pupil, OffsetDateTime now,
            Optional<AccessPackage.Referrals> referrals) {
        boolean pupilsOwnWord = pupilsOwnWord(r, pupil, now);
        List<String> leftOut = new ArrayList<>(List.of(AccessPackage.PRIVATE_NOTES, AccessPackage.SIGNAL_REPORTERS));
        if (pupilsOwnWord) {
            leftOut.add(AccessPackage.PUPIL_CONVERSATIONS);
        }
        if (referrals.isEmpty()) {
            // T4: never pretend there are none: the package says they could not be shown now.
            leftOut.add(AccessPackage.REFERRALS_UNAVAILABLE);
        } else if (referrals.get().leftOut() != null
                && referrals.get().leftOut().contains(AccessPackage.REFERRALS_KEPT_FROM_PARENTS)) {
            leftOut.add(AccessPackage.REFERRALS_KEPT_FROM_PARENTS);
        }
        return new AccessPackage(now, r.requestedBy, r.requestedAt,
                new AccessPackage.Pupil(pupil.key.pupilId, pupil.givenName, pupil.familyName, pupil.birthDate,
                        pupil.classGroup),
                caseFiles.ofPupilForRightOfAccess(r.organisationId, r.pupilId).stream()
                        .map(f -> caseFile(f, pupilsOwnWord)).toList(),
                // Who reported a signal is a third party's confidence: left out.
                Signal.about(r.organisationId, r.pupilId).stream()
                        .map(s -> new AccessPackage.Signal(s.reportedAt, s.concern, s.status.name())).toList(),
                DisciplineMeasure.of(r.organisationId, r.pupilId).stream()
                        .map(m -> new AccessPackage.DisciplineMeasure(m.measureType, m.decidedOn, m.decidedBy)).toList(),
                referrals.map(AccessPackage.Referrals::referrals).orElse(null), List.copyOf(leftOut));
    }

    private static AccessPackage.CaseFile caseFile(CaseFile f, boolean withoutConversations) {
        return new AccessPackage.CaseFile(f.id, f.status.name(), f.ownerUsername, f.reason, f.openedAt, f.closedAt,
                CareTeamMember.of(f.id).stream()
                        .map(m -> new AccessPackage.Member(m.username, m.teamRole, m.purpose, m.addedAt)).toList(),
                ConfidentialityNotice.of(f.id).stream()
                        .map(n -> new AccessPackage.Notice(n.givenBy, n.givenAt, n.how.name())).toList(),
                // Private working notes are the author's, not the file's: left out.
                Note.ofCaseFile(f.id).stream().filter(n -> CaseFileAccess.inRightOfAccess(n.visibility))
                        // M1: what the pupil of 12 or more confided is the pupil's to tell the parents.
                        .filter(n -> !(withoutConversations && n.kind == Note.Kind.CONVERSATION))
                        .map(n -> new AccessPackage.Note(n.id, n.kind.name(), n.visibility.name(), n.authorUsername,
                                n.writtenAt, n.text, n.corrects))
                        .toList());
    }
}
