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
import be.needtoknow.common.caller.Caller;
import be.needtoknow.common.caller.Roles;
import be.needtoknow.common.problem.ProblemException;

/**
 * Opening, reading, listing and closing case files; and, for the features that hang off a case
 * file (care team, notes, the confidentiality notice), finding it with the caller's relation to
 * it. Every access, granted or refused, leaves an audit record (A1); a granted one in the same
 * transaction as the access, so a read whose record cannot be stored fails before anything is
 * returned.
 */
@ApplicationScoped
public class CaseFiles {

    public static final String PURPOSE = "pupil guidance";

    @Inject
    AuditTrail audit;

    @Inject
    CaseFileRelations relations;

    /** A case file and how the caller relates to it. */
    public record Accessed(CaseFile file, CaseFileAccess.Relation relation) {
    }

    /** The audit description of an action on a case file (never its content). */
    public static Access access(String action, CaseFile file) {
        return new Access(action, file.organisationId, file.pupilId, "case-file", file.id.toString(), PURPOSE,
                LegalBasis.LEGAL_TASK);
    }

    /**
     * The case file of the caller's school with this id, or 404 (audited) when there is none: another
     * school's file is as unknown as a random id.
     */
    public Accessed find(Caller caller, UUID id, String action) {
        CaseFile file = CaseFile.inSchool(caller.organisationId(), id).orElse(null);
        if (file == null) {
            audit.refused(caller, new Access(action, caller.organisationId(), null, "case-file", id.toString(), PURPOSE,
                    LegalBasis.LEGAL_TASK), "unknown case file");
            throw ProblemException.notFound("Case file " + id);
        }
        return new Accessed(file, relations.of(caller, file));
    }

    public CaseFileAccess.Relation relationOf(Caller caller, CaseFile file) {
        return relations.of(caller, file);
    }

    /** Records the refusal and returns the exception to throw. */
    public ProblemException refuse(Caller caller, CaseFile file, String action, String reason, ProblemException problem) {
        audit.refused(caller, access(action, file), reason);
        return problem;
    }

    /** Refused as if it did not exist (N3: whoever may not see a file does not learn that it exists). */
    public ProblemException hide(Caller caller, CaseFile file, String action, String reason) {
        return refuse(caller, file, action, reason, ProblemException.notFound("Case file " + file.id));
    }

    @Transactional
    public CaseFileView open(Caller caller, OpenCaseFile request) {
        Access attempt = new Access("case-file.open", caller.organisationId(), request.pupilId(), "case-file", null,
                PURPOSE, LegalBasis.LEGAL_TASK);
        if (!CaseFileAccess.mayOpen(caller)) {
            audit.refused(caller, attempt, "role may not open case files (N3)");
            throw ProblemException.refusedByRule("N3", "may-not-open-case-file",
                    "Only the school's pupil counsellors and care coordinators open case files.");
        }
        if (Pupil.of(caller.organisationId(), request.pupilId()).isEmpty()) {
            audit.refused(caller, attempt, "unknown pupil");
            throw ProblemException.notFound("Pupil '" + request.pupilId() + "'");
        }
        if (CaseFile.openFor(caller.organisationId(), request.pupilId())) {
            audit.refused(caller, attempt, "a case file is already open");
            throw ProblemException.conflict("case-file-already-open",
                    "This pupil already has an open case file; at most one is open at a time.");
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
        Accessed accessed = find(caller, id, "case-file.read");
        CaseFileAccess.View view = CaseFileAccess.viewOf(caller, accessed.relation());
        if (view == CaseFileAccess.View.NONE) {
            throw hide(caller, accessed.file(), "case-file.read", "not on the care team, a care coordinator or the principal (N3)");
        }
        audit.granted(caller, access("case-file.read", accessed.file()));
        return CaseFileView.of(accessed.file(), view);
    }

    @Transactional
    public CaseFileView close(Caller caller, UUID id) {
        Accessed accessed = find(caller, id, "case-file.close");
        CaseFile file = accessed.file();
        if (CaseFileAccess.viewOf(caller, accessed.relation()) == CaseFileAccess.View.NONE) {
            throw hide(caller, file, "case-file.close", "may not see this case file (N3)");
        }
        if (!CaseFileAccess.mayClose(caller, accessed.relation())) {
            throw refuse(caller, file, "case-file.close", "not the owner or a care coordinator",
                    ProblemException.forbidden("may-not-close-case-file",
                            "Only the case file's owner or a care coordinator closes it."));
        }
        if (file.status == CaseFile.Status.CLOSED) {
            throw refuse(caller, file, "case-file.close", "already closed",
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
        for (CaseFile f : files) {
            CaseFileAccess.View view = CaseFileAccess.viewOf(caller, relations.of(caller, f));
            if (view != CaseFileAccess.View.NONE) {
                audit.granted(caller, access("case-file.list", f));
                views.add(CaseFileView.of(f, view));
            }
        }
        return views;
    }
}
