package be.needtoknow.cases.casefile;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import be.needtoknow.cases.pupil.Pupil;
import be.needtoknow.common.audit.AuditTrail;
import be.needtoknow.common.audit.AuditTrail.Access;
import be.needtoknow.common.audit.LegalBasis;
import be.needtoknow.common.audit.Refused;
import be.needtoknow.common.caller.Caller;
import be.needtoknow.common.caller.Roles;
import be.needtoknow.common.problem.ProblemException;

/**
 * The one gate of the case-file aggregate (N3), and opening, reading, listing and closing case
 * files. Every read or change of a case file or of what hangs off it (its care team, its notes and
 * their summaries, the confidentiality notices, the right-of-access package) finds the file here:
 * {@link #require} by its id, {@link #requireSummaries} by its pupil, {@link #list} for the
 * caller's list, {@link #ofPupilForRightOfAccess} for the pupil's package; and whether a note may
 * be read is decided by {@link Accessed#mayRead} only. Every access, granted or refused, leaves an
 * audit record (A1); a granted one in the same transaction as the access, so a read whose record
 * cannot be stored fails before anything is returned.
 */
@ApplicationScoped
public class CaseFiles {

    public static final String PURPOSE = "pupil guidance";

    @Inject
    AuditTrail audit;

    @Inject
    CaseFileRelations relations;

    /**
     * A case file as the gate let the caller in: how the caller relates to it, and whether the
     * confidentiality notice is on record (S1).
     */
    public record Accessed(Caller caller, CaseFile file, CaseFileAccess.Relation relation, boolean noticeGiven) {

        /** N3: the one note-visibility check, for every note this caller is given or acts on. */
        public boolean mayRead(CaseFileAccess.Visibility visibility, String authorSubject) {
            return CaseFileAccess.mayRead(caller, relation, visibility, authorSubject);
        }
    }

    /** The audit description of an action on a case file (never its content). */
    public static Access access(String action, CaseFile file) {
        return new Access(action, file.organisationId, file.pupilId, "case-file", file.id.toString(), PURPOSE,
                LegalBasis.LEGAL_TASK);
    }

    /** What a caller needs of a case file for an action: the gate's question. */
    public enum Need {
        /** That it exists, its owner and status (the principal's view too). */
        SEE,
        /** The file itself: its reason, its care team, its confidentiality notices. */
        READ,
        /** Its notes: the whole file's readers, and the pupil's teachers (for the summaries). */
        READ_NOTES,
        /** The need-to-know summaries of the pupil's open file: its care team and the pupil's teachers. */
        SUMMARIES,
        /** Write notes and notices: the care team, while the file is open (N3, S1). */
        WRITE,
        /** Form the care team: its owner. */
        FORM_CARE_TEAM,
        /** Close it: its owner or a care coordinator. */
        CLOSE
    }

    /**
     * The one gate of the case-file aggregate, which every endpoint on a case file, its care team,
     * its notices and its notes passes: find the file in the caller's school, work out the caller's
     * relation to it, hide it (404, as for an unknown id: N3) from whoever may not know it exists,
     * refuse (403, or 409 for a closed file) whoever may know it but not do this. Every refusal is
     * audited (A1); the granted access is the caller's to audit, with what it returns.
     */
    public Accessed require(Caller caller, UUID id, Need need, String action) {
        CaseFileRelations.Found found = relations.find(caller, id).orElse(null);
        if (found == null) {
            throw new Refused(caller, new Access(action, caller.organisationId(), null, "case-file", id.toString(),
                    PURPOSE, LegalBasis.LEGAL_TASK), "unknown case file", ProblemException.notFound("Case file " + id));
        }
        CaseFile file = found.file();
        CaseFileAccess.Relation relation = found.relation();
        if (!known(caller, relation, need)) {
            throw new Refused(caller, access(action, file), "may not see this case file (N3)", ProblemException.notFound("Case file " + id));
        }
        switch (need) {
            case WRITE -> {
                if (!CaseFileAccess.mayWrite(caller, relation)) {
                    throw new Refused(caller, access(action, file), "not on the care team (N3)", ProblemException.refusedByRule("N3",
                            "not-on-care-team", "Only the members of this pupil's care team write in the case file."));
                }
                requireOpen(caller, file, action);
            }
            case FORM_CARE_TEAM -> {
                if (!CaseFileAccess.mayManageCareTeam(caller, relation)) {
                    throw new Refused(caller, access(action, file), "not the owner", ProblemException.forbidden("not-case-file-owner",
                            "Only the case file's owner forms its care team."));
                }
            }
            case CLOSE -> {
                if (!CaseFileAccess.mayClose(caller, relation)) {
                    throw new Refused(caller, access(action, file), "not the owner or a care coordinator",
                            ProblemException.forbidden("may-not-close-case-file",
                                    "Only the case file's owner or a care coordinator closes it."));
                }
            }
            default -> {
            }
        }
        return new Accessed(caller, file, relation, found.noticeGiven());
    }

    /**
     * Whether the caller may know that the file exists, for what it needs: the others are told it
     * does not (404, N3).
     */
    private static boolean known(Caller caller, CaseFileAccess.Relation relation, Need need) {
        CaseFileAccess.View view = CaseFileAccess.viewOf(caller, relation);
        return switch (need) {
            case READ -> view == CaseFileAccess.View.FULL;
            case READ_NOTES -> view == CaseFileAccess.View.FULL || relation.teachesPupil();
            case SUMMARIES -> relation.onCareTeam() || relation.teachesPupil();
            default -> view != CaseFileAccess.View.NONE;
        };
    }

    /**
     * N3: the gate to the need-to-know summaries of a pupil, found by the pupil: the pupil's open
     * case file, for its care team and the staff who teach the pupil; 404 to anyone else, as when
     * the pupil has no open file.
     */
    public Accessed requireSummaries(Caller caller, String pupilId, String action) {
        Access attempt = new Access(action, caller.organisationId(), pupilId, "pupil", null, PURPOSE,
                LegalBasis.LEGAL_TASK);
        ProblemException none = ProblemException.notFound("Need-to-know summaries for pupil '" + pupilId + "'");
        CaseFile open = CaseFile.openOf(caller.organisationId(), pupilId).orElse(null);
        CaseFileRelations.Found found = open == null ? null : relations.find(caller, open.id).orElse(null);
        if (found == null) {
            throw new Refused(caller, attempt, "no open case file", none);
        }
        if (!known(caller, found.relation(), Need.SUMMARIES)) {
            throw new Refused(caller, attempt, "does not teach the pupil", none);
        }
        return new Accessed(caller, found.file(), found.relation(), found.noticeGiven());
    }

    /**
     * T4: the pupil's case files for the right-of-access package, whose holder (a verified link, or
     * the school's DPO) was let in by the package; which notes it shows is decided by
     * {@link CaseFileAccess#inRightOfAccess}.
     */
    public List<CaseFile> ofPupilForRightOfAccess(String organisationId, String pupilId) {
        return CaseFile.ofPupil(organisationId, pupilId);
    }

    /** A closed file takes no new notes, notices or care-team members (409, audited). */
    public void requireOpen(Caller caller, CaseFile file, String action) {
        if (file.status != CaseFile.Status.OPEN) {
            throw new Refused(caller, access(action, file), "case file closed",
                    ProblemException.conflict("case-file-closed", "This case file is closed."));
        }
    }

    @Transactional
    public CaseFileView open(Caller caller, OpenCaseFile request) {
        Access attempt = new Access("case-file.open", caller.organisationId(), request.pupilId(), "case-file", null,
                PURPOSE, LegalBasis.LEGAL_TASK);
        if (!CaseFileAccess.mayOpen(caller)) {
            throw new Refused(caller, attempt, "role may not open case files (N3)", ProblemException.refusedByRule("N3",
                    "may-not-open-case-file", "Only the school's pupil counsellors and care coordinators open case files."));
        }
        if (Pupil.of(caller.organisationId(), request.pupilId()).isEmpty()) {
            throw new Refused(caller, attempt, "unknown pupil", ProblemException.notFound("Pupil '" + request.pupilId() + "'"));
        }
        if (CaseFile.openFor(caller.organisationId(), request.pupilId())) {
            throw new Refused(caller, attempt, "a case file is already open", ProblemException.conflict(
                    "case-file-already-open", "This pupil already has an open case file; at most one is open at a time."));
        }
        CaseFile file = openFor(caller, request.pupilId(), request.reason());
        return CaseFileView.of(file, CaseFileAccess.View.FULL);
    }

    /** Opens a case file owned by the caller (the checks are the caller's). */
    public CaseFile openFor(Caller caller, String pupilId, String reason) {
        CaseFile file = new CaseFile();
        file.id = UUID.randomUUID();
        file.organisationId = caller.organisationId();
        file.pupilId = pupilId;
        file.ownerSubject = caller.subject();
        file.ownerUsername = caller.username();
        file.reason = reason;
        file.status = CaseFile.Status.OPEN;
        file.openedAt = OffsetDateTime.now(ZoneOffset.UTC);
        file.persist();
        audit.granted(caller, access("case-file.open", file));
        return file;
    }

    @Transactional
    public CaseFileView read(Caller caller, UUID id) {
        Accessed accessed = require(caller, id, Need.SEE, "case-file.read");
        audit.granted(caller, access("case-file.read", accessed.file()));
        return CaseFileView.of(accessed.file(), CaseFileAccess.viewOf(caller, accessed.relation()));
    }

    @Transactional
    public CaseFileView close(Caller caller, UUID id) {
        Accessed accessed = require(caller, id, Need.CLOSE, "case-file.close");
        CaseFile file = accessed.file();
        if (file.status == CaseFile.Status.CLOSED) {
            throw new Refused(caller, access("case-file.close", file), "already closed",
                    ProblemException.conflict("case-file-closed", "This case file is already closed."));
        }
        file.status = CaseFile.Status.CLOSED;
        file.closedAt = OffsetDateTime.now(ZoneOffset.UTC);
        audit.granted(caller, access("case-file.close", file));
        return CaseFileView.of(file, CaseFileAccess.viewOf(caller, accessed.relation()));
    }

    /** The case files the caller may see: the school's for coordinators and the principal, else those of their care teams. */
    @Transactional
    public List<CaseFileView> list(Caller caller) {
        boolean wholeSchool = caller.hasRole(Roles.CARE_COORDINATOR) || caller.hasRole(Roles.PRINCIPAL);
        List<CaseFile> files = wholeSchool ? CaseFile.ofSchool(caller.organisationId())
                : CaseFile.onCareTeamOf(caller.organisationId(), caller.subject(), caller.username());
        List<CaseFileView> views = new java.util.ArrayList<>();
        List<Access> listed = new java.util.ArrayList<>();
        for (CaseFile f : files) {
            CaseFileAccess.Relation relation = relations.of(caller, f);
            if (known(caller, relation, Need.SEE)) {
                listed.add(access("case-file.list", f));
                views.add(CaseFileView.of(f, CaseFileAccess.viewOf(caller, relation)));
            }
        }
        audit.granted(caller, listed);
        return views;
    }
}
