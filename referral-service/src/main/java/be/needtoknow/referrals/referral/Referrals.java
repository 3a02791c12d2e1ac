package be.needtoknow.referrals.referral;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import be.needtoknow.common.audit.AuditTrail;
import be.needtoknow.common.audit.AuditTrail.Access;
import be.needtoknow.common.audit.LegalBasis;
import be.needtoknow.common.audit.Refused;
import be.needtoknow.common.caller.Caller;
import be.needtoknow.common.caller.OrganisationType;
import be.needtoknow.common.caller.Roles;
import be.needtoknow.common.outbox.Outbox;
import be.needtoknow.common.problem.Problem;
import be.needtoknow.common.problem.ProblemException;
import be.needtoknow.common.referral.GrantKey;
import be.needtoknow.common.referral.ReferralGrant;
import be.needtoknow.referrals.casefile.CaseFileNotes;
import be.needtoknow.referrals.casefile.PupilRegister;
import be.needtoknow.referrals.consent.ConsentRecord;
import be.needtoknow.referrals.consent.ConsentRules;
import be.needtoknow.referrals.consent.Discernment;
import be.needtoknow.referrals.recipient.Recipient;
import be.needtoknow.referrals.recipient.RecipientDirectory;
import be.needtoknow.referrals.referral.Transitions.Action;
import be.needtoknow.referrals.referral.Transitions.Side;

/**
 * Referrals to the CLB and external care: a draft with items chosen one by one (N1), consent bound
 * to exactly those items (T1, T2, M1-M3), sent through the outbox to the recipient's own topic,
 * and moved on by the recipient (C1). Every step, granted or refused, is audited (A1).
 */
@ApplicationScoped
public class Referrals {

    static final String PURPOSE = "referral for help";
    /** The purposes a referral's audit records name, by recipient type: the registration statistics (A4) count them. */
    static final String TO_CLB = "referral to the CLB";
    static final String TO_CARE = "referral to a care service";

    @Inject
    ObjectMapper json;

    @Inject
    ItemLists itemLists;

    @Inject
    TransferNotices notices;

    @Inject
    ReferralNotices referralNotices;

    @Inject
    AuditTrail audit;

    @Inject
    Outbox outbox;

    @Inject
    RecipientDirectory directory;

    @Inject
    CaseFileNotes notes;

    /** The key this service signs its referral grants with, which case-service checks (N1; shared with case-service). */
    @Inject
    GrantKey grantKey;

    @Inject
    PupilRegister register;

    static Access access(String action, Referral r) {
        return new Access(action, r.schoolId, r.pupilId, "referral", r.id.toString(), purposeOf(r), r.legalBasis);
    }

    private static String purposeOf(Referral r) {
        if (r.kind == Referral.Kind.TRANSFER) {
            return TransferNotices.PURPOSE;
        }
        return Recipient.byId(r.recipientId).map(x -> x.type == Recipient.Type.CLB ? TO_CLB : TO_CARE).orElse(PURPOSE);
    }

    private static boolean referrer(Caller caller) {
        return caller.organisationType() == OrganisationType.SCHOOL
                && (caller.hasRole(Roles.PUPIL_COUNSELLOR) || caller.hasRole(Roles.CARE_COORDINATOR));
    }

    /** Who answers for a recipient: its system or its workers; for a new school (X), its platform and its care staff. */
    private static boolean recipientSide(Caller caller) {
        if (caller.organisationType() == OrganisationType.SCHOOL) {
            return caller.hasRole(Roles.SCHOOL_SYSTEM) || caller.hasRole(Roles.CARE_COORDINATOR)
                    || caller.hasRole(Roles.PUPIL_COUNSELLOR);
        }
        return caller.hasRole(Roles.RECIPIENT_SYSTEM) || caller.hasRole(Roles.CLB_WORKER)
                || caller.hasRole(Roles.YOUTH_CARE_WORKER);
    }

    @Transactional
    public ReferralView create(Caller caller, ReferralRequests.Create request) {
        Access attempt = new Access("referral.create", caller.organisationId(), request.pupilId(), "referral", null,
                PURPOSE, LegalBasis.CONSENT);
        if (!referrer(caller)) {
            throw new Refused(caller, attempt, "not a pupil counsellor or care coordinator of a school",
                    ProblemException.forbidden("not-referrer", "Referrals are prepared by a school's pupil counsellors and "
                    + "care coordinators."));
        }
        Recipient recipient = Recipient.byId(request.recipientId()).orElse(null);
        if (recipient == null) {
            throw new Refused(caller, attempt, "unknown recipient",
                    ProblemException.notFound("Recipient '" + request.recipientId() + "'"));
        }
        if (recipient.type == Recipient.Type.CLB
                && !directory.clbServing(caller.organisationId()).map(recipient.id::equals).orElse(false)) {
            throw new Refused(caller, attempt, "a CLB that does not serve the school (N2)",
                    ProblemException.refusedByRule("N2", "not-the-schools-clb", "'" + recipient.id + "' does not serve "
                    + "this school: a school refers to the CLB that serves it."));
        }
        if (recipient.type == Recipient.Type.CARE && !recipient.directlyAccessible) {
            throw new Refused(caller, attempt, "care service not directly accessible (C3)",
                    ProblemException.refusedByRule("C3", "not-directly-accessible", "'" + recipient.id + "' is not "
                    + "directly accessible: refer through the CLB."));
        }
        boolean transfer = recipient.type == Recipient.Type.SCHOOL;
        if (transfer && recipient.id.equals(caller.organisationId())) {
            throw new Refused(caller, attempt, "a transfer to the pupil's own school",
                    ProblemException.badRequest("transfer-to-own-school", "A transfer goes to another school."));
        }
        if (!transfer && request.afterDefinitiveExclusion()) {
            throw new Refused(caller, attempt, "afterDefinitiveExclusion on a referral",
                    ProblemException.badRequest("not-a-transfer", "afterDefinitiveExclusion describes a transfer to "
                    + "another school, not a referral."));
        }
        // M1, M2: the birth date is the pupil register's. Asked last, after the checks that need no
        // call; a pupil who is not of the caller's school is refused here, with case-service's 404.
        LocalDate birthDate = birthDate(caller, attempt, request.pupilId());
        Referral r = new Referral();
        r.id = UUID.randomUUID();
        r.kind = transfer ? Referral.Kind.TRANSFER : Referral.Kind.REFERRAL;
        r.afterDefinitiveExclusion = request.afterDefinitiveExclusion();
        r.schoolId = caller.organisationId();
        r.pupilId = request.pupilId();
        r.pupilBirthDate = birthDate;
        r.recipientId = recipient.id;
        r.status = ReferralStatus.DRAFT;
        // A transfer rests on the school's legal task, discussed with parents and pupil, who may object (X).
        r.legalBasis = transfer ? LegalBasis.LEGAL_TASK : LegalBasis.CONSENT;
        r.ownerSubject = caller.subject();
        r.ownerUsername = caller.username();
        r.items = itemLists.write(List.of());
        r.itemsHash = sha256(r.items);
        r.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        r.updatedAt = r.createdAt;
        r.persist();
        audit.granted(caller, access("referral.create", r));
        return view(r);
    }

    /** The pupil register's birth date (case-service, with the caller's token); a refusal is audited here too (A1). */
    private LocalDate birthDate(Caller caller, Access attempt, String pupilId) {
        try {
            return register.birthDate(pupilId);
        } catch (ProblemException e) {
            throw new Refused(caller, attempt, e.problem().status() == 503 ? "the pupil register cannot be reached"
                    : "refused by the pupil register (" + e.problem().status() + ")",
                    e);
        }
    }

    /** The referral, for its owner at the school; 404 to anyone else. */
    private Referral owned(Caller caller, UUID id, String action) {
        return owned(caller, id, action, false);
    }

    /** As {@link #owned(Caller, UUID, String)}, its row locked until the transaction ends: for a change (T2). */
    private Referral ownedForChange(Caller caller, UUID id, String action) {
        return owned(caller, id, action, true);
    }

    private Referral owned(Caller caller, UUID id, String action, boolean forChange) {
        Referral r = caller.organisationType() != OrganisationType.SCHOOL ? null
                : (forChange ? Referral.ofSchoolForChange(caller.organisationId(), id)
                        : Referral.ofSchool(caller.organisationId(), id)).orElse(null);
        if (r == null || !caller.subject().equals(r.ownerSubject)) {
            throw new Refused(caller, new Access(action, caller.organisationId(), r == null ? null : r.pupilId, "referral",
                    id.toString(), PURPOSE, LegalBasis.CONSENT), r == null ? "unknown referral" : "not the owner",
                    ProblemException.notFound("Referral " + id));
        }
        return r;
    }

    /** The referral, for the recipient it was sent to; 404 to anyone else. */
    private Referral addressed(Caller caller, UUID id, String action) {
        Referral r = recipientSide(caller) ? Referral.addressedToForChange(caller.organisationId(), id).orElse(null) : null;
        if (r == null) {
            throw new Refused(caller, new Access(action, caller.organisationId(), null, "referral", id.toString(), PURPOSE,
                    LegalBasis.CONSENT), recipientSide(caller) ? "not addressed to the caller" : "not a recipient",
                    ProblemException.notFound("Referral " + id));
        }
        return r;
    }

    private void move(Caller caller, Referral r, Action action, Side side) {
        if (!Transitions.allowed(action, side, r.status)) {
            throw new Refused(caller, access("referral." + action.name().toLowerCase(), r), "not allowed from " + r.status,
                    ProblemException.conflict("transition-not-allowed", action + " is not possible for a referral that is "
                    + r.status + "."));
        }
        r.status = action.target;
        r.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
    }

    @Transactional
    public ReferralView setItems(Caller caller, UUID id, ReferralRequests.Items request) {
        Referral r = ownedForChange(caller, id, "referral.items");
        move(caller, r, Action.BACK_TO_DRAFT, Side.SCHOOL);
        if (request.items().stream().anyMatch(Choice.DisciplineChoice.class::isInstance)) {
            boolean transfer = r.kind == Referral.Kind.TRANSFER;
            throw new Refused(caller, access("referral.items", r), "a record of a breach of school rules ("
                    + (transfer ? "X" : "R1") + ")",
                    ProblemException.refusedByRule(transfer ? "X" : "R1", "discipline-record-not-eligible", transfer
                    ? "Records of breaches of school rules are never passed on to another school, also not after a "
                            + "definitive exclusion."
                    : "The discipline register is kept apart from guidance: it is never part of a referral."));
        }
        List<Item> items = new java.util.ArrayList<>();
        List<String> chosenNotes = new java.util.ArrayList<>();
        // N1: case-service hands a note over only for a referral this service vouches for: this one,
        // a draft of its owner (checked above), for this pupil. The grant never reaches the caller.
        String grant = request.items().stream().anyMatch(Choice.NoteChoice.class::isInstance)
                ? ReferralGrant.of(r.id, r.schoolId, r.pupilId, caller.subject(), java.time.Instant.now()).sign(grantKey.key())
                : null;
        for (Choice choice : request.items()) {
            if (choice instanceof Choice.NoteChoice note) {
                items.add(chosen(caller, r, note, grant));
                chosenNotes.add(note.noteId().toString());
            } else {
                items.add((Item) choice);
            }
        }
        r.items = itemLists.write(items);
        r.chosenNotes = String.join(",", chosenNotes);
        r.itemsHash = sha256(r.items);
        if (r.kind == Referral.Kind.TRANSFER) {
            TransferNotice.supersede(r, r.updatedAt);
        }
        audit.granted(caller, access("referral.items", r));
        return view(r);
    }

    /**
     * A chosen note, as case-service hands it to this caller for this referral's draft: the pupil's
     * own, the note's own words. case-service audits this as a read of the note; nothing is
     * disclosed yet (the referral may never be sent): see {@link #send}.
     */
    private Item.Note chosen(Caller caller, Referral r, Choice.NoteChoice choice, String grant) {
        var note = notes.forReferral(choice.caseFileId(), choice.noteId(), r.id, grant);
        if (!r.pupilId.equals(note.pupilId())) {
            throw new Refused(caller, access("referral.items", r), "a note about another pupil (N1)",
                    ProblemException.refusedByRule("N1", "note-of-another-pupil", "Note " + choice.noteId()
                    + " is not about this referral's pupil."));
        }
        if (choice.excerpt() != null && !note.text().contains(choice.excerpt())) {
            throw new Refused(caller, access("referral.items", r), "excerpt not in the note",
                    ProblemException.badRequest("excerpt-not-in-note", "An excerpt is the note's own words: it was not "
                    + "found in note " + choice.noteId() + "."));
        }
        return new Item.Note(choice.purpose(), note.kind(), note.writtenAt(),
                choice.excerpt() != null ? choice.excerpt() : note.text());
    }

    /** Byte for byte what the recipient will receive. */
    @Transactional
    public String preview(Caller caller, UUID id) {
        Referral r = owned(caller, id, "referral.preview");
        audit.granted(caller, access("referral.preview", r));
        return payloadOf(r);
    }

    @Transactional
    public ReferralView recordConsent(Caller caller, UUID id, ConsentRecord consent) {
        Referral r = ownedForChange(caller, id, "referral.consent");
        if (itemLists.read(r.items).isEmpty()) {
            throw new Refused(caller, access("referral.consent", r), "no items chosen (N1)",
                    ProblemException.refusedByRule("N1", "no-items", "Choose the items first: consent covers exactly them."));
        }
        boolean transfer = r.kind == Referral.Kind.TRANSFER;
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        // M1, M2: decided on the register as it is now (a corrected birth date counts), never on a typed one.
        r.pupilBirthDate = birthDate(caller, access("referral.consent", r), r.pupilId);
        var shortfall = transfer ? ConsentRules.checkTransfer(consent, r.pupilBirthDate, today)
                : ConsentRules.check(consent, r.pupilBirthDate, today);
        if (shortfall.isPresent()) {
            throw new Refused(caller, access("referral.consent", r), "consent does not suffice (" + shortfall.get().rule() + ")",
                    new ProblemException(Problem.of(409, "consent-insufficient", "Refused by rule " + shortfall.get().rule(),
                    shortfall.get().reason()).withRule(shortfall.get().rule())));
        }
        move(caller, r, Action.MARK_READY, Side.SCHOOL);
        try {
            r.consent = json.writeValueAsString(consent);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        r.consentItemsHash = r.itemsHash;
        r.legalBasis = transfer ? LegalBasis.LEGAL_TASK : LegalBasis.CONSENT;
        r.urgentJustification = null;
        // M1: whose consent counted, as decided now; the family's notice of the send (T3) follows it.
        boolean capable = Discernment.capable(r.pupilBirthDate, today, consent.capableOverride());
        r.consentPupilCapable = capable;
        audit.granted(caller, access("referral.consent", r));
        if (transfer) {
            // X: the parents, and a pupil capable of discernment, get the list with a period to object.
            // Each link goes to its party through case-service, never into this answer (X).
            var issued = notices.issue(caller, r, capable);
            return view(r, issued);
        }
        return view(r);
    }

    /**
     * X, T3: the family's notices sent again to their registered contacts, each with a new secret (the
     * link sent before no longer opens); by the referral's owner only. A transfer's while its notices
     * may be answered; a referral's once it was sent with consent (its notices exist).
     */
    @Transactional
    public List<TransferNotices.NoticeView> resendNotices(Caller caller, UUID id) {
        // The kind decides the audited action; looked up within the caller's own school only, so that a
        // refusal says nothing of another school's referral.
        if (Referral.ofSchool(caller.organisationId(), id).filter(r -> r.kind != Referral.Kind.TRANSFER).isPresent()) {
            return referralNotices.resend(caller, ownedForChange(caller, id, ReferralNotices.RESEND));
        }
        return notices.resend(caller, ownedForChange(caller, id, TransferNotices.RESEND));
    }

    @Transactional
    public ReferralView send(Caller caller, UUID id) {
        Referral r = ownedForChange(caller, id, "referral.send");
        if (r.consentItemsHash != null && !r.itemsHash.equals(r.consentItemsHash)) {
            throw new Refused(caller, access("referral.send", r), "consent covers other items (T2)",
                    new ProblemException(Problem.of(409, "consent-for-other-items", "Refused by rule T2",
                    "The items changed since consent was given: consent must be given again.").withRule("T2")));
        }
        if (r.kind == Referral.Kind.TRANSFER && r.status == ReferralStatus.READY) {
            var holdBack = notices.holdBack(r, OffsetDateTime.now(ZoneOffset.UTC));
            if (holdBack.isPresent()) {
                throw new Refused(caller, access("referral.send", r), "held back by the transfer notice (X)",
                        new ProblemException(Problem.of(409, "transfer-held-back", "Refused by rule X", holdBack.get())
                        .withRule("X")));
            }
        }
        move(caller, r, Action.SEND, Side.SCHOOL);
        r.sentAt = r.updatedAt;
        outbox.append(Recipient.topicOf(r.recipientId), eventKey(r), ReferralPayload.SENT, "referral/" + r.id, payload(r));
        audit.granted(caller, access("referral.send", r));
        // A1, T2: each note leaves the school here, with the items that consent (or the urgent-danger
        // basis) covers. Recorded here rather than by case-service: in the same transaction as the
        // event the recipient receives (both through this service's outbox), so a send that fails
        // records no disclosure and every recorded disclosure was really sent; and only here are the
        // referral, its recipient and its legal basis known. The record names no caller's words.
        audit.granted(caller, chosenNotesOf(r).stream().map(noteId -> disclosure(r, noteId)).toList());
        if (r.kind == Referral.Kind.REFERRAL && LegalBasis.CONSENT.equals(r.legalBasis)) {
            // T1, T3, M1, M2: the family whose consent it is sent with is told what went to whom, through
            // its own channel, in this transaction: a refused delivery refuses the send and nothing
            // changes (the event above is in the same outbox). A transfer has its own notice (X).
            ConsentRecord consent = consentOf(r);
            boolean capable = r.consentPupilCapable != null ? r.consentPupilCapable
                    : Discernment.capable(r.pupilBirthDate, LocalDate.now(ZoneOffset.UTC), consent.capableOverride());
            referralNotices.issue(caller, r, capable, consent.parentsNotInformed());
        }
        // Urgent danger (vital-interest, without consent): the family is to be told afterwards, once the
        // danger allows; that notice is not built yet, so such a referral issues none here.
        return view(r);
    }

    private ConsentRecord consentOf(Referral r) {
        try {
            return json.readValue(r.consent, ConsentRecord.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The case-service notes among a referral's items. */
    static List<String> chosenNotesOf(Referral r) {
        return r.chosenNotes == null || r.chosenNotes.isEmpty() ? List.of() : List.of(r.chosenNotes.split(","));
    }

    /**
     * A1: the record of one note's disclosure with a sent referral: the note as this referral carried
     * it ({@code referral/<referral id>/notes/<note id>}), the recipient (a fixed phrase naming the
     * directory's id, never the caller's words: the items' purposes are not copied), and the
     * referral's legal basis: consent, or vital-interest for urgent danger (the DPO's review lists
     * it), or the legal task for a transfer.
     */
    static Access disclosure(Referral r, String noteId) {
        String purpose = (r.kind == Referral.Kind.TRANSFER ? "transfer to " : "referral to ") + r.recipientId;
        return new Access("note.disclose", r.schoolId, r.pupilId, "referral", r.id + "/notes/" + noteId, purpose,
                r.legalBasis);
    }

    @Transactional
    public ReferralView withdraw(Caller caller, UUID id) {
        Referral r = ownedForChange(caller, id, "referral.withdraw");
        withdrawn(caller, r, Side.SCHOOL, Referral.WithdrawnBy.SCHOOL);
        return view(r);
    }

    /**
     * T3: the one way a referral is withdrawn, by the school or by the family whose consent counted
     * (through its notice, {@link ReferralNotices#withdraw}): the status, who and when, the
     * {@code withdrawn} event to the recipient's topic through the outbox once it was sent, and the
     * audit record naming the caller. The referral's row is locked by the caller; a move that is not
     * allowed from its status is refused 409 and audited.
     */
    void withdrawn(Caller caller, Referral r, Side side, Referral.WithdrawnBy by) {
        boolean wasSent = r.sentAt != null;
        move(caller, r, Action.WITHDRAW, side);
        r.withdrawnBy = by;
        r.withdrawnAt = r.updatedAt;
        if (wasSent) {
            // T3: the recipient is told.
            outbox.append(Recipient.topicOf(r.recipientId), eventKey(r), ReferralPayload.WITHDRAWN, "referral/" + r.id,
                    new Withdrawn(r.id));
        }
        audit.granted(caller, access("referral.withdraw", r));
    }

    /**
     * One referral: its owner sees all of it (with the family's notices and, once withdrawn, who
     * withdrew, when and why: T3); the recipient it was sent to sees what it was sent and the status
     * (C1); anyone else gets 404.
     */
    @Transactional
    public ReferralView get(Caller caller, UUID id) {
        Referral own = caller.organisationType() != OrganisationType.SCHOOL ? null
                : Referral.ofSchool(caller.organisationId(), id).filter(r -> caller.subject().equals(r.ownerSubject))
                        .orElse(null);
        if (own != null) {
            audit.granted(caller, access("referral.read", own));
            return view(own);
        }
        Referral addressed = recipientSide(caller) ? Referral.addressedTo(caller.organisationId(), id).orElse(null) : null;
        if (addressed != null) {
            audit.granted(caller, access("referral.read", addressed));
            return recipientView(addressed);
        }
        return view(owned(caller, id, "referral.read")); // refused 404 and audited
    }

    /**
     * Without consent: only on the basis of urgent danger to the pupil (state of necessity), only
     * towards a CLB or care service, with a written justification. Such a referral's audit records
     * name the vital-interest basis, so the DPO lists them for review.
     */
    @Transactional
    public ReferralView urgentDanger(Caller caller, UUID id, ReferralRequests.UrgentDanger request) {
        Referral r = ownedForChange(caller, id, "referral.urgent-danger");
        Recipient recipient = Recipient.byId(r.recipientId).orElseThrow();
        if (recipient.type == Recipient.Type.SCHOOL) {
            throw new Refused(caller, access("referral.urgent-danger", r), "not towards a CLB or care service",
                    ProblemException.forbidden("urgent-danger-not-for-transfers",
                    "Without consent, information goes only to a CLB or a care service."));
        }
        if (itemLists.read(r.items).isEmpty()) {
            throw new Refused(caller, access("referral.urgent-danger", r), "no items chosen (N1)",
                    ProblemException.refusedByRule("N1", "no-items", "Choose the items first."));
        }
        move(caller, r, Action.MARK_READY, Side.SCHOOL);
        r.legalBasis = LegalBasis.VITAL_INTEREST;
        r.consentPupilCapable = null;
        r.urgentJustification = request.justification();
        r.consentItemsHash = r.itemsHash;
        audit.granted(caller, access("referral.urgent-danger", r));
        return view(r);
    }

    /** C2: the recipient releases feedback for the school. */
    @Transactional
    public Feedback.View releaseFeedback(Caller caller, UUID id, ReferralRequests.Feedback request) {
        Referral r = addressed(caller, id, "referral.feedback");
        if (r.status == ReferralStatus.WITHDRAWN || r.status == ReferralStatus.SENT) {
            throw new Refused(caller, access("referral.feedback", r), "not acknowledged, or withdrawn",
                    ProblemException.conflict("transition-not-allowed", "Feedback follows the acknowledgement of a referral "
                    + "that is not withdrawn."));
        }
        Feedback f = new Feedback();
        f.id = UUID.randomUUID();
        f.referralId = r.id;
        f.text = request.text();
        f.releasedBy = caller.username();
        f.releasedAt = OffsetDateTime.now(ZoneOffset.UTC);
        f.persist();
        audit.granted(caller, access("referral.feedback", r));
        return Feedback.View.of(f);
    }

    /** The released feedback, for the referring counsellor. */
    @Transactional
    public List<Feedback.View> feedback(Caller caller, UUID id) {
        Referral r = owned(caller, id, "referral.feedback.read");
        audit.granted(caller, access("referral.feedback.read", r));
        return Feedback.of(r.id).stream().map(Feedback.View::of).toList();
    }

    /**
     * The Kafka key of a referral's events: the referral id, which the recipient holds anyway. Never
     * the pupil's audit pseudonym (N2): the recipient's copy would become linkable to the audit
     * trail. One referral's events keep their order, which is all a recipient needs.
     */
    static String eventKey(Referral r) {
        return r.id.toString();
    }

    /** The data of a withdrawal event. */
    public record Withdrawn(UUID referralId) {
    }

    @Transactional
    public List<ReferralView> list(Caller caller) {
        // N3: a referrer lists exactly the referrals whose details they may read, their own (the
        // preview and the items are the owner's); a recipient lists what was sent to it.
        List<Referral> own = referrer(caller) ? Referral.ownedBy(caller.organisationId(), caller.subject()) : List.of();
        List<Referral> addressed = recipientSide(caller) ? Referral.addressedTo(caller.organisationId()) : List.of();
        List<ReferralView> views = new java.util.ArrayList<>();
        for (Referral r : own) {
            audit.granted(caller, access("referral.list", r));
            views.add(view(r));
        }
        for (Referral r : addressed) {
            audit.granted(caller, access("referral.list", r));
            views.add(recipientView(r));
        }
        return views;
    }

    /** The recipient's side: acknowledge, accept, decline (with a reason), close. */
    @Transactional
    public ReferralView respond(Caller caller, UUID id, Action action, String reason) {
        String name = "referral." + action.name().toLowerCase();
        Referral r = addressed(caller, id, name);
        move(caller, r, action, Side.RECIPIENT);
        if (action == Action.DECLINE) {
            r.declineReason = reason;
        }
        audit.granted(caller, access(name, r));
        return recipientView(r);
    }

    private String payloadOf(Referral r) {
        try {
            return json.writeValueAsString(payload(r));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private ReferralPayload payload(Referral r) {
        return new ReferralPayload(r.id, r.kind, r.schoolId, r.recipientId, r.legalBasis, itemLists.read(r.items));
    }

    private ReferralView view(Referral r) {
        return view(r, r.kind == Referral.Kind.TRANSFER ? notices.views(r) : referralNotices.views(r));
    }

    /**
     * The owner's view: everything of the referral, with the family's notices (to whom and how each
     * link was sent, never the link: X, T1) and, once withdrawn, who withdrew, when and why (T3).
     */
    private ReferralView view(Referral r, List<TransferNotices.NoticeView> notices) {
        boolean byFamily = r.withdrawnBy == Referral.WithdrawnBy.PARENTS || r.withdrawnBy == Referral.WithdrawnBy.PUPIL;
        return new ReferralView(r.id, r.kind, r.pupilId, r.recipientId, r.status, r.ownerUsername,
                itemLists.read(r.items), r.consentItemsHash != null && r.consentItemsHash.equals(r.itemsHash),
                r.kind == Referral.Kind.TRANSFER ? r.afterDefinitiveExclusion : null, notices, r.declineReason,
                r.createdAt, r.sentAt, r.withdrawnBy, r.withdrawnAt,
                byFamily ? referralNotices.withdrawalReason(r) : null);
    }

    /**
     * C1: the recipient sees what it was sent and the status; not the school's pupil id or bookkeeping.
     * T3: once withdrawn, the status and the withdrawal only: consent no longer covers the items.
     */
    private ReferralView recipientView(Referral r) {
        List<Item> items = r.status == ReferralStatus.WITHDRAWN ? null : itemLists.read(r.items);
        return new ReferralView(r.id, r.kind, null, r.recipientId, r.status, null, items, null, null,
                null, r.declineReason, null, r.sentAt, null, null, null);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
