package be.needtoknow.cases.casefile;

import be.needtoknow.common.caller.Caller;
import be.needtoknow.common.caller.OrganisationType;
import be.needtoknow.common.caller.Roles;

/**
 * Who may do what with a case file (N3: being staff is not a reason to read). Plain Java, so the
 * rules are unit-tested without a server. The care team (issue 3) will widen "full view" to its
 * members; until then the owner and the school's care coordinators have it.
 */
public final class CaseFileAccess {

    /** How much of a case file a caller sees. */
    public enum View {
        /** Everything, including the reason. */
        FULL,
        /** That it exists, its owner and status: the principal's view for the school's care policy. */
        EXISTENCE,
        /** Nothing; the file is reported as not found. */
        NONE
    }

    private CaseFileAccess() {
    }

    /** Opening a case file is for the school's pupil counsellors and care coordinators. */
    public static boolean mayOpen(Caller caller) {
        return caller.organisationType() == OrganisationType.SCHOOL
                && (caller.hasRole(Roles.PUPIL_COUNSELLOR) || caller.hasRole(Roles.CARE_COORDINATOR));
    }

    public static View viewOf(Caller caller, CaseFile file) {
        if (caller.organisationType() != OrganisationType.SCHOOL || !caller.belongsTo(file.organisationId)) {
            return View.NONE;
        }
        if (caller.subject().equals(file.ownerSubject) || caller.hasRole(Roles.CARE_COORDINATOR)) {
            return View.FULL;
        }
        if (caller.hasRole(Roles.PRINCIPAL)) {
            return View.EXISTENCE;
        }
        return View.NONE;
    }
}
