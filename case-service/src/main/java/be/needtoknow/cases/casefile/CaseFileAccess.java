package be.needtoknow.cases.casefile;

import be.needtoknow.cases.staff.GuidanceStaff;
import be.needtoknow.common.caller.Caller;
import be.needtoknow.common.caller.OrganisationType;
import be.needtoknow.common.caller.Roles;

/**
 * Who may do what with a case file and its notes (N3: being staff is not a reason to read; R1:
 * those who counsel are not those who punish). Plain Java over the facts of a {@link Relation},
 * so every rule is unit-tested without a server.
 */
public final class CaseFileAccess {

    /** How much of a case file a caller sees. */
    public enum View {
        /** Everything of the file itself, including the reason. */
        FULL,
        /** That it exists, its owner and status: the principal's view for the school's care policy. */
        EXISTENCE,
        /** Nothing; the file is reported as not found. */
        NONE
    }

    /** The visibility of a note (N3). */
    public enum Visibility {
        /** A private working note: its author only, not even the principal. */
        PRIVATE,
        /** The named members of this pupil's care team (the owner is one). */
        CARE_TEAM,
        /** A need-to-know summary: the care team and the staff who teach the pupil's class group. */
        TEACHERS
    }

    /**
     * The facts about a caller and one case file.
     *
     * @param sameSchool     the caller is staff of the school that owns the file
     * @param owner          the caller owns the file
     * @param careTeamMember the caller is a named member of the file's care team
     * @param teachesPupil   the caller teaches the pupil's class group (staff directory)
     */
    public record Relation(boolean sameSchool, boolean owner, boolean careTeamMember, boolean teachesPupil) {

        public static final Relation NONE = new Relation(false, false, false, false);

        /** On the care team: the owner or a named member. */
        public boolean onCareTeam() {
            return sameSchool && (owner || careTeamMember);
        }
    }

    private CaseFileAccess() {
    }

    private static boolean schoolStaff(Caller caller) {
        return caller.organisationType() == OrganisationType.SCHOOL;
    }

    /** Opening a case file is for the school's guidance staff. */
    public static boolean mayOpen(Caller caller) {
        return GuidanceStaff.includes(caller);
    }

    public static View viewOf(Caller caller, Relation relation) {
        if (!schoolStaff(caller) || !relation.sameSchool()) {
            return View.NONE;
        }
        if (relation.onCareTeam() || caller.hasRole(Roles.CARE_COORDINATOR)) {
            return View.FULL;
        }
        if (caller.hasRole(Roles.PRINCIPAL)) {
            return View.EXISTENCE;
        }
        return View.NONE;
    }

    /** The owner forms the care team. */
    public static boolean mayManageCareTeam(Caller caller, Relation relation) {
        return schoolStaff(caller) && relation.sameSchool() && relation.owner();
    }

    /** The owner or a care coordinator closes a case file. */
    public static boolean mayClose(Caller caller, Relation relation) {
        return schoolStaff(caller) && relation.sameSchool() && (relation.owner() || caller.hasRole(Roles.CARE_COORDINATOR));
    }

    /** Notes and the confidentiality notice are written by the care team. */
    public static boolean mayWrite(Caller caller, Relation relation) {
        return schoolStaff(caller) && relation.onCareTeam();
    }

    /** N3: whether school staff may read a note (asked through the gate's {@code CaseFiles.Accessed.mayRead}). */
    static boolean mayRead(Caller caller, Relation relation, Visibility visibility, String authorSubject) {
        if (!schoolStaff(caller) || !relation.sameSchool()) {
            return false;
        }
        return switch (visibility) {
            case PRIVATE -> caller.subject().equals(authorSubject);
            case CARE_TEAM -> relation.onCareTeam();
            case TEACHERS -> relation.onCareTeam() || relation.teachesPupil();
        };
    }

    /**
     * T4: whether a note is in the pupil's right-of-access package: a private working note is its
     * author's own material, not the file's, and is left out (the package says so).
     */
    public static boolean inRightOfAccess(Visibility visibility) {
        return visibility != Visibility.PRIVATE;
    }

    /**
     * R1: a care-team member does not impose this pupil's sanctions; only discipline staff and the
     * principal register them.
     */
    public static boolean mayRegisterDiscipline(Caller caller, boolean onACareTeamOfThePupil) {
        return schoolStaff(caller) && (caller.hasRole(Roles.DISCIPLINE) || caller.hasRole(Roles.PRINCIPAL))
                && !onACareTeamOfThePupil;
    }

    /** The discipline register is read by the principal and discipline staff only. */
    public static boolean mayReadDiscipline(Caller caller) {
        return schoolStaff(caller) && (caller.hasRole(Roles.DISCIPLINE) || caller.hasRole(Roles.PRINCIPAL));
    }
}
