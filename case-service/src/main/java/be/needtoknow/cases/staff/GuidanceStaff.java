package be.needtoknow.cases.staff;

import be.needtoknow.common.caller.Caller;
import be.needtoknow.common.caller.OrganisationType;
import be.needtoknow.common.caller.Roles;

/**
 * The school's guidance staff, its pupil counsellors and care coordinators, by the caller's roles:
 * they open case files, and they prepare the referrals (so they ask the pupil register whose
 * consent counts). Kept with the staff, below the case files and the pupil register, which both ask.
 */
public final class GuidanceStaff {

    private GuidanceStaff() {
    }

    public static boolean includes(Caller caller) {
        return caller.organisationType() == OrganisationType.SCHOOL
                && (caller.hasRole(Roles.PUPIL_COUNSELLOR) || caller.hasRole(Roles.CARE_COORDINATOR));
    }
}
