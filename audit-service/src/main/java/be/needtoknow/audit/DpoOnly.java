package be.needtoknow.audit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import be.needtoknow.common.audit.AuditTrail;
import be.needtoknow.common.audit.AuditTrail.Access;
import be.needtoknow.common.caller.Caller;
import be.needtoknow.common.caller.Roles;
import be.needtoknow.common.problem.ProblemException;

/** A3: the trail, its proofs and its reports are the data protection officer's; anyone else is refused, and audited. */
@ApplicationScoped
public class DpoOnly {

    @Inject
    AuditTrail audit;

    /**
     * @param what what only the DPO does, for the refusal's message ("reads the audit trail")
     */
    public void require(Caller caller, Access access, String what) {
        if (!caller.hasRole(Roles.DPO)) {
            throw audit.refuse(caller, access, "not the DPO",
                    ProblemException.forbidden("not-dpo", "Only the data protection officer " + what + "."));
        }
    }
}
