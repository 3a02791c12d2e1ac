package be.needtoknow.cases.staff;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import be.needtoknow.common.audit.AuditTrail;
import be.needtoknow.common.audit.LegalBasis;
import be.needtoknow.common.audit.Refused;
import be.needtoknow.common.caller.Caller;
import be.needtoknow.common.caller.Roles;
import be.needtoknow.common.problem.ProblemException;

/**
 * The staff directory of the caller's own organisation: who is who (name and functions), so that
 * the access report (T4) names people as a parent knows them rather than by their username. Read
 * by the DPO only (audit-service calls it with the DPO's own token); never another organisation's
 * staff, and no teaching assignments. Not for the school's platform: it imported the staff itself,
 * and the list names everyone who might have reported a signal (S4). Every read is audited (A1).
 */
@ApplicationScoped
public class StaffDirectory {

    /** One staff member as the directory tells it. */
    public record Entry(String username, String name, List<String> functions) {
    }

    static final String ACTION = "staff.list";
    static final String PURPOSE = "staff directory";

    @Inject
    AuditTrail audit;

    @Transactional
    public List<Entry> list(Caller caller) {
        AuditTrail.Access access = new AuditTrail.Access(ACTION, caller.organisationId(), null, "staff", null, PURPOSE,
                LegalBasis.LEGAL_TASK);
        if (!caller.hasRole(Roles.DPO)) {
            throw new Refused(caller, access, "not the DPO",
                    ProblemException.forbidden("not-dpo", "Only the DPO reads the staff directory."));
        }
        List<Entry> entries = StaffMember.<StaffMember>list("key.organisationId = ?1 order by key.username",
                caller.organisationId()).stream()
                .map(m -> new Entry(m.key.username, m.displayName, List.copyOf(m.functionSet()))).toList();
        audit.granted(caller, access);
        return entries;
    }
}
