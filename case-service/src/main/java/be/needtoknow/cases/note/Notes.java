package be.needtoknow.cases.note;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import be.needtoknow.cases.casefile.CaseFile;
import be.needtoknow.cases.casefile.CaseFileAccess;
import be.needtoknow.cases.casefile.CaseFileAccess.Visibility;
import be.needtoknow.cases.casefile.CaseFiles;
import be.needtoknow.cases.casefile.CaseFiles.Need;
import be.needtoknow.common.audit.AuditTrail;
import be.needtoknow.common.audit.LegalBasis;
import be.needtoknow.common.audit.Refused;
import be.needtoknow.common.caller.Caller;
import be.needtoknow.common.problem.Problem;
import be.needtoknow.common.problem.ProblemException;
import be.needtoknow.common.referral.GrantKey;
import be.needtoknow.common.referral.ReferralGrant;

/**
 * Notes with need-to-know visibility (N3) and the confidentiality notice that must come first
 * (S1). A note's text never leaves this service in an audit record or an event.
 */
@ApplicationScoped
public class Notes {

    @Inject
    CaseFiles caseFiles;

    @Inject
    AuditTrail audit;

    /** The key referral-service signs its referral grants with (a deployment secret shared by the two services). */
    @Inject
    GrantKey grantKey;

    private static AuditTrail.Access noteAccess(String action, CaseFile file, UUID noteId) {
        return new AuditTrail.Access(action, file.organisationId, file.pupilId, "note", noteId.toString(),
                CaseFiles.PURPOSE, LegalBasis.LEGAL_TASK);
    }

    @Transactional
    public NoteViews.NoticeView recordNotice(Caller caller, UUID caseFileId, NoteRequests.RecordNotice request) {
        CaseFile file = caseFiles.require(caller, caseFileId, Need.WRITE, "confidentiality-notice.record").file();
        ConfidentialityNotice notice = new ConfidentialityNotice();
        notice.id = UUID.randomUUID();
        notice.caseFileId = file.id;
        notice.givenBy = caller.username();
        notice.givenAt = request.givenAt();
        notice.how = request.how();
        notice.recordedAt = OffsetDateTime.now(ZoneOffset.UTC);
        notice.persist();
        audit.granted(caller, CaseFiles.access("confidentiality-notice.record", file));
        return NoteViews.NoticeView.of(notice);
    }

    @Transactional
    public List<NoteViews.NoticeView> notices(Caller caller, UUID caseFileId) {
        CaseFiles.Accessed accessed = caseFiles.require(caller, caseFileId, Need.READ, "confidentiality-notice.read");
        audit.granted(caller, CaseFiles.access("confidentiality-notice.read", accessed.file()));
        return ConfidentialityNotice.of(caseFileId).stream().map(NoteViews.NoticeView::of).toList();
    }

    @Transactional
    public NoteViews.NoteView write(Caller caller, UUID caseFileId, NoteRequests.WriteNote request) {
        CaseFiles.Accessed accessed = caseFiles.require(caller, caseFileId, Need.WRITE, "note.write");
        CaseFile file = accessed.file();
        if (request.kind() == Note.Kind.CONVERSATION && !accessed.noticeGiven()) {
            throw new Refused(caller, CaseFiles.access("note.write", file), "no confidentiality notice on record (S1)",
                    new ProblemException(Problem.of(409, "confidentiality-notice-missing", "Refused by rule S1",
                            "A conversation note is stored only after the pupil was told that the school cannot "
                                    + "guarantee secrecy: record the confidentiality notice first.").withRule("S1")));
        }
        Note note = newNote(caller, file, request.kind(), request.visibility(), request.text(), null);
        return new NoteViews.NoteView(note.id, file.id, note.kind, note.visibility, note.authorUsername, note.writtenAt,
                note.text, List.of());
    }

    @Transactional
    public NoteViews.NoteView correct(Caller caller, UUID caseFileId, UUID noteId, NoteRequests.Correction request) {
        CaseFiles.Accessed accessed = caseFiles.require(caller, caseFileId, Need.WRITE, "note.correct");
        CaseFile file = accessed.file();
        // A correction names the version it corrects (the path); a version is corrected once, so the
        // versions form one chain. Concurrent corrections of one version wait for each other here.
        Note original = Note.inCaseFileForCorrection(file.id, noteId).orElse(null);
        if (original == null || !accessed.mayRead(original.visibility, original.authorSubject)) {
            throw new Refused(caller, CaseFiles.access("note.correct", file), "unknown or unreadable note",
                    ProblemException.notFound("Note " + noteId));
        }
        if (!caller.subject().equals(original.authorSubject)) {
            throw new Refused(caller, CaseFiles.access("note.correct", file), "not the author",
                    ProblemException.forbidden("not-note-author", "Only a note's author corrects it."));
        }
        if (Note.isCorrected(original.id)) {
            throw new Refused(caller, CaseFiles.access("note.correct", file), "not the current version",
                    ProblemException.conflict("note-already-corrected",
                            "This version was corrected already; correct the current version."));
        }
        Note correction = newNote(caller, file, original.kind, original.visibility, request.text(), original.id);
        List<NoteViews.Version> history = history(correction, byId(Note.ofCaseFile(file.id)));
        return new NoteViews.NoteView(correction.id, file.id, correction.kind, correction.visibility,
                correction.authorUsername, correction.writtenAt, correction.text, history);
    }

    private Note newNote(Caller caller, CaseFile file, Note.Kind kind, Visibility visibility, String text, UUID corrects) {
        Note note = new Note();
        note.id = UUID.randomUUID();
        note.caseFileId = file.id;
        note.corrects = corrects;
        note.authorSubject = caller.subject();
        note.authorUsername = caller.username();
        note.kind = kind;
        note.visibility = visibility;
        note.text = text;
        note.writtenAt = OffsetDateTime.now(ZoneOffset.UTC);
        note.persist();
        audit.granted(caller, noteAccess(corrects == null ? "note.write" : "note.correct", file, note.id));
        return note;
    }

    /**
     * The current notes of a case file that the caller may read, each with its history: for the care
     * team, and for the pupil's teachers the need-to-know summaries.
     */
    @Transactional
    public List<NoteViews.NoteView> read(Caller caller, UUID caseFileId) {
        CaseFiles.Accessed accessed = caseFiles.require(caller, caseFileId, Need.READ_NOTES, "note.list");
        return readable(accessed, note -> true);
    }

    /** The purpose of reading a note for a referral's draft: a fixed phrase, never the caller's words. */
    static final String PREPARING_A_REFERRAL = "preparing a referral";

    /**
     * N1: hands one note over for a referral's draft, to a member of the care team who may read it,
     * for a referral that referral-service vouches for: a draft (or ready) referral of this pupil,
     * owned by the caller ({@link ReferralGrant}, which a caller cannot make). Never a private working
     * note (the author's own material), never an old version, never the discipline register (which is
     * no note). This is an audited read of the note, not a disclosure: nothing has left the school yet
     * and the referral may never be sent. referral-service records each note's disclosure
     * ({@code note.disclose}) in the transaction that sends the referral (A1, T2).
     */
    @Transactional
    public NoteViews.ForReferral forReferral(Caller caller, UUID caseFileId, UUID noteId, NoteRequests.ForReferral request) {
        CaseFiles.Accessed accessed = caseFiles.require(caller, caseFileId, Need.SEE, "note.read");
        CaseFile file = accessed.file();
        AuditTrail.Access access = new AuditTrail.Access("note.read", file.organisationId, file.pupilId, "note",
                noteId.toString(), PREPARING_A_REFERRAL, LegalBasis.LEGAL_TASK);
        ReferralGrant grant = ReferralGrant.verify(request.grant(), grantKey.key(), Instant.now()).orElse(null);
        if (grant == null || !grant.referralId().equals(request.referralId()) || !grant.subject().equals(caller.subject())
                || !grant.schoolId().equals(caller.organisationId())) {
            throw new Refused(caller, access, "no referral draft of the caller's that referral-service vouches for (N1)",
                    ProblemException.refusedByRule("N1", "referral-not-verified", "Referral " + request.referralId()
                            + " is not a draft of yours that referral-service vouches for: a note is handed over only "
                            + "while its referral's items are chosen, through referral-service."));
        }
        if (!grant.pupilId().equals(file.pupilId)) {
            throw new Refused(caller, access, "a referral of another pupil (N1)",
                    ProblemException.refusedByRule("N1", "referral-of-another-pupil", "Referral " + request.referralId()
                            + " is not about this case file's pupil."));
        }
        Note note = Note.inCaseFile(file.id, noteId).orElse(null);
        if (note == null || !accessed.mayRead(note.visibility, note.authorSubject)) {
            throw new Refused(caller, access, "unknown or unreadable note", ProblemException.notFound("Note " + noteId));
        }
        if (!CaseFileAccess.mayWrite(caller, accessed.relation())) {
            throw new Refused(caller, access, "not on the care team (N3)",
                    ProblemException.refusedByRule("N3", "not-on-care-team", "Only the care team passes its notes on."));
        }
        if (note.visibility == Visibility.PRIVATE) {
            throw new Refused(caller, access, "a private working note is never passed on (N1)",
                    ProblemException.refusedByRule("N1", "private-note-not-eligible",
                            "A private working note is its author's own material: it is never part of a referral."));
        }
        if (Note.isCorrected(note.id)) {
            throw new Refused(caller, access, "not the current version",
                    ProblemException.conflict("note-already-corrected", "Choose the current version of the note."));
        }
        audit.granted(caller, access);
        return new NoteViews.ForReferral(note.id, file.pupilId, note.kind, note.writtenAt, note.text);
    }

    /**
     * N3: what the staff who teach the pupil must know to teach — the need-to-know summaries
     * (visibility TEACHERS) of the pupil's open case file. Not the file, not the other notes.
     */
    @Transactional
    public List<NoteViews.NoteView> summaries(Caller caller, String pupilId) {
        return readable(caseFiles.requireSummaries(caller, pupilId, "note.summaries"),
                note -> note.visibility == Visibility.TEACHERS);
    }

    /** The readable current notes of one case file that are wanted; each one returned is audited, no other. */
    private List<NoteViews.NoteView> readable(CaseFiles.Accessed accessed, java.util.function.Predicate<Note> wanted) {
        CaseFile file = accessed.file();
        List<Note> all = Note.ofCaseFile(file.id);
        Map<UUID, Note> byId = byId(all);
        Set<UUID> corrected = new HashSet<>();
        all.stream().filter(n -> n.corrects != null).forEach(n -> corrected.add(n.corrects));
        List<NoteViews.NoteView> views = new ArrayList<>();
        List<AuditTrail.Access> reads = new ArrayList<>();
        for (Note note : all) {
            if (corrected.contains(note.id) || !wanted.test(note) || !accessed.mayRead(note.visibility, note.authorSubject)) {
                continue;
            }
            reads.add(noteAccess("note.read", file, note.id));
            views.add(new NoteViews.NoteView(note.id, file.id, note.kind, note.visibility, note.authorUsername,
                    note.writtenAt, note.text, history(note, byId)));
        }
        audit.granted(accessed.caller(), reads);
        return views;
    }

    private static Map<UUID, Note> byId(List<Note> notes) {
        Map<UUID, Note> byId = new HashMap<>();
        notes.forEach(n -> byId.put(n.id, n));
        return byId;
    }

    private static List<NoteViews.Version> history(Note note, Map<UUID, Note> byId) {
        List<NoteViews.Version> history = new ArrayList<>();
        for (UUID previous = note.corrects; previous != null && byId.containsKey(previous); previous = byId.get(previous).corrects) {
            history.add(NoteViews.Version.of(byId.get(previous)));
        }
        return history;
    }
}
