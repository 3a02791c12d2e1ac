package be.needtoknow.common.caller;

import java.util.Set;

/**
 * Who is calling, from the verified token: the person or system, its realm roles and its
 * organisation. Every access decision starts from this, never from a request parameter.
 */
public record Caller(String subject, String username, Set<String> roles, String organisationId,
        OrganisationType organisationType) {

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    public boolean belongsTo(String organisation) {
        return organisationId.equals(organisation);
    }

    /** The role that best describes the caller in an audit record (the first of a fixed order). */
    public String primaryRole() {
        return primaryRoleOf(roles);
    }

    /** The first of a fixed order among these realm roles, or "none". */
    public static String primaryRoleOf(Set<String> roles) {
        for (String role : ROLE_ORDER) {
            if (roles.contains(role)) {
                return role;
            }
        }
        return "none";
    }

    private static final String[] ROLE_ORDER = { Roles.DPO, Roles.CARE_COORDINATOR, Roles.PUPIL_COUNSELLOR,
            Roles.PRINCIPAL, Roles.DISCIPLINE, Roles.TEACHER, Roles.CLB_WORKER, Roles.YOUTH_CARE_WORKER,
            Roles.SCHOOL_SYSTEM, Roles.RECIPIENT_SYSTEM, Roles.OPERATOR };
}
