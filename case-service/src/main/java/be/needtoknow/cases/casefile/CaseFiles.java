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
 * Opening and reading case files. Every access, granted or refused, leaves an audit record (A1);
 * a granted one in the same transaction as the access, so a read whose record cannot be stored
 * fails before anything is returned.
 */
@ApplicationScoped
public class CaseFiles {

    static final String PURPOSE = "pupil guidance";

    @Inject
    AuditTrail audit;

    @Transactional
    public CaseFileView open(Caller caller, OpenCaseFile request) {
        Access access = new Access("case-file.open", caller.organisationId(), request.pupilId(), "case-file", null,
                PURPOSE, LegalBasis.LEGAL_TASK);
        if (!CaseFileAccess.mayOpen(caller)) {
            audit.refused(caller, access, "role may not open case files (N3)");
            throw ProblemException.refusedByRule("N3", "may-not-open-case-file",
                    "Only the school's pupil counsellors and care coordinators open case files.");
        }
        if (Pupil.of(caller.organisationId(), request.pupilId()).isEmpty()) {
            audit.refused(caller, access, "unknown pupil");
            throw ProblemException.notFound("Pupil '" + request.pupilId() + "'");
        }
        if (CaseFile.openFor(caller.organisationId(), request.pupilId())) {
            audit.refused(caller, access, "a case file is already open");
            throw ProblemException.conflict("case-file-already-open",
                    "This pupil already has an open case file; at most one is open at a time.");
        }
        CaseFile file = new CaseFile();
        file.id = UUID.randomUUID();
        file.organisationId = caller.organisationId();
        file.pupilId = request.pupilId();
        file.ownerSubject = caller.subject();
        file.ownerUsername = caller.username();
        file.reason = request.reason();
        file.status = CaseFile.Status.OPEN;
        file.openedAt = OffsetDateTime.now(ZoneOffset.UTC);
        file.persist();
        audit.granted(caller, new Access("case-file.open", file.organisationId, file.pupilId, "case-file",
                file.id.toString(), PURPOSE, LegalBasis.LEGAL_TASK));
        return CaseFileView.of(file, CaseFileAccess.View.FULL);
    }

    @Transactional
    public CaseFileView read(Caller caller, UUID id) {
        CaseFile file = CaseFile.inSchool(caller.organisationId(), id).orElse(null);
        CaseFileAccess.View view = file == null ? CaseFileAccess.View.NONE : CaseFileAccess.viewOf(caller, file);
        if (view == CaseFileAccess.View.NONE) {
            audit.refused(caller, new Access("case-file.read", caller.organisationId(), file == null ? null : file.pupilId,
                    "case-file", id.toString(), PURPOSE, LegalBasis.LEGAL_TASK),
                    file == null ? "unknown case file" : "not the owner, a care coordinator or the principal (N3)");
            throw ProblemException.notFound("Case file " + id);
        }
        audit.granted(caller, new Access("case-file.read", file.organisationId, file.pupilId, "case-file",
                file.id.toString(), PURPOSE, LegalBasis.LEGAL_TASK));
        return CaseFileView.of(file, view);
    }

    /** The case files the caller may see: all of the school's for coordinators and the principal, else their own. */
    @Transactional
    public List<CaseFileView> list(Caller caller) {
        boolean wholeSchool = caller.hasRole(Roles.CARE_COORDINATOR) || caller.hasRole(Roles.PRINCIPAL);
        List<CaseFile> files = wholeSchool ? CaseFile.ofSchool(caller.organisationId())
                : CaseFile.ownedBy(caller.organisationId(), caller.subject());
        List<CaseFile> visible = files.stream()
                .filter(f -> CaseFileAccess.viewOf(caller, f) != CaseFileAccess.View.NONE)
                .toList();
        for (CaseFile f : visible) {
            audit.granted(caller, new Access("case-file.list", f.organisationId, f.pupilId, "case-file",
                    f.id.toString(), PURPOSE, LegalBasis.LEGAL_TASK));
        }
        List<CaseFileView> views = visible.stream().map(f -> CaseFileView.of(f, CaseFileAccess.viewOf(caller, f))).toList();
        return views;
    }
}
