package be.needtoknow.cases.signal;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import be.needtoknow.cases.casefile.CaseFile;
import be.needtoknow.cases.casefile.CaseFiles;
import be.needtoknow.cases.pupil.Pupil;
import be.needtoknow.common.audit.AuditTrail;
import be.needtoknow.common.audit.AuditTrail.Access;
import be.needtoknow.common.audit.LegalBasis;
import be.needtoknow.common.audit.Refused;
import be.needtoknow.common.caller.Caller;
import be.needtoknow.common.caller.OrganisationType;
import be.needtoknow.common.caller.Roles;
import be.needtoknow.common.problem.ProblemException;

/**
 * S4: every teacher may pick up signals. Any staff member of the school reports a concern about any
 * pupil of the school without gaining read access to the case file; the care coordinators take
 * it up into an open case file or a new one; the reporter learns only that it was taken up.
 */
@ApplicationScoped
public class Signals {

    static final String PURPOSE = "signal intake";

    @Inject
    AuditTrail audit;

    @Inject
    CaseFiles caseFiles;

    private static Access access(String action, String organisationId, String pupilId, UUID signalId) {
        return new Access(action, organisationId, pupilId, "signal", signalId == null ? null : signalId.toString(),
                PURPOSE, LegalBasis.LEGAL_TASK);
    }

    private static boolean schoolStaff(Caller caller) {
        return caller.organisationType() == OrganisationType.SCHOOL && (caller.hasRole(Roles.TEACHER)
                || caller.hasRole(Roles.PUPIL_COUNSELLOR) || caller.hasRole(Roles.CARE_COORDINATOR)
                || caller.hasRole(Roles.PRINCIPAL) || caller.hasRole(Roles.DISCIPLINE));
    }

    @Transactional
    public SignalViews.OwnSignal report(Caller caller, SignalViews.Report request) {
        if (!schoolStaff(caller)) {
            throw new Refused(caller, access("signal.report", caller.organisationId(), request.pupilId(), null), "not school staff",
                    ProblemException.forbidden("not-school-staff", "Signals are reported by the school's staff."));
        }
        if (Pupil.of(caller.organisationId(), request.pupilId()).isEmpty()) {
            throw new Refused(caller, access("signal.report", caller.organisationId(), request.pupilId(), null), "unknown pupil",
                    ProblemException.notFound("Pupil '" + request.pupilId() + "'"));
        }
        Signal signal = new Signal();
        signal.id = UUID.randomUUID();
        signal.organisationId = caller.organisationId();
        signal.pupilId = request.pupilId();
        signal.reporterSubject = caller.subject();
        signal.reporterUsername = caller.username();
        signal.concern = request.concern();
        signal.reportedAt = OffsetDateTime.now(ZoneOffset.UTC);
        signal.status = Signal.Status.NEW;
        signal.persist();
        audit.granted(caller, access("signal.report", signal.organisationId, signal.pupilId, signal.id));
        return SignalViews.OwnSignal.of(signal);
    }

    @Transactional
    public List<SignalViews.OwnSignal> own(Caller caller) {
        List<Signal> signals = Signal.reportedBy(caller.organisationId(), caller.subject());
        signals.forEach(s -> audit.granted(caller, access("signal.read", s.organisationId, s.pupilId, s.id)));
        return signals.stream().map(SignalViews.OwnSignal::of).toList();
    }

    @Transactional
    public List<SignalViews.IntakeSignal> intake(Caller caller) {
        requireCoordinator(caller, access("signal.intake", caller.organisationId(), null, null));
        List<Signal> signals = Signal.intake(caller.organisationId());
        signals.forEach(s -> audit.granted(caller, access("signal.intake", s.organisationId, s.pupilId, s.id)));
        return signals.stream().map(SignalViews.IntakeSignal::of).toList();
    }

    @Transactional
    public SignalViews.IntakeSignal takeUp(Caller caller, UUID id, SignalViews.TakeUp request) {
        // S4: a signal is taken up once, into one case file. Its row is locked until the transaction
        // ends, so that of two take-ups at once the second waits, sees TAKEN_UP and is refused (409).
        Signal signal = Signal.<Signal>find("id = ?1 and organisationId = ?2", id, caller.organisationId())
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional().orElse(null);
        Access attempt = access("signal.take-up", caller.organisationId(), signal == null ? null : signal.pupilId, id);
        requireCoordinator(caller, attempt);
        if (signal == null) {
            throw new Refused(caller, attempt, "unknown signal",
                    ProblemException.notFound("Signal " + id));
        }
        if (signal.status == Signal.Status.TAKEN_UP) {
            throw new Refused(caller, attempt, "already taken up",
                    ProblemException.conflict("signal-taken-up", "This signal was taken up already."));
        }
        CaseFile file = CaseFile.openOf(signal.organisationId, signal.pupilId).orElse(null);
        if (file == null) {
            String reason = request == null ? null : request.reason();
            if (reason == null || reason.isBlank()) {
                throw new Refused(caller, attempt, "no open case file and no reason to open one",
                        ProblemException.badRequest("reason-required",
                        "The pupil has no open case file: give a reason to open one."));
            }
            file = caseFiles.openFor(caller, signal.pupilId, reason);
        }
        signal.status = Signal.Status.TAKEN_UP;
        signal.caseFileId = file.id;
        signal.takenUpBy = caller.username();
        signal.takenUpAt = OffsetDateTime.now(ZoneOffset.UTC);
        audit.granted(caller, attempt);
        return SignalViews.IntakeSignal.of(signal);
    }

    private void requireCoordinator(Caller caller, Access attempt) {
        if (caller.organisationType() != OrganisationType.SCHOOL || !caller.hasRole(Roles.CARE_COORDINATOR)) {
            throw new Refused(caller, attempt, "not a care coordinator",
                    ProblemException.forbidden("not-care-coordinator", "The signal intake is the care coordinators'."));
        }
    }
}
