package be.needtoknow.audit;

import jakarta.enterprise.context.ApplicationScoped;

import be.needtoknow.common.audit.AuditTrail.Access;
import be.needtoknow.common.audit.Refused;
import be.needtoknow.common.caller.Caller;
import be.needtoknow.common.caller.Roles;
import be.needtoknow.common.problem.ProblemException;

/** A3: the trail, its proofs and its reports are the data protection officer's; anyone else is refused (and so audited, A1). */
@ApplicationScoped
public class DpoOnly {

    /**
     * @param what what only the DPO does, for the refusal's message ("reads the audit trail")
     */
    public void require(Caller caller, Access access, String what) {
        if (!caller.hasRole(Roles.DPO)) {
            throw new Refused(caller, access, "not the DPO",
                    ProblemException.forbidden("not-dpo", "Only the data protection officer " + what + "."));
        }
    }
}
