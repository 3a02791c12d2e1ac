package be.needtoknow.cases.pupil;

import java.time.LocalDate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import be.needtoknow.cases.staff.GuidanceStaff;
import be.needtoknow.common.audit.AuditTrail;
import be.needtoknow.common.audit.AuditTrail.Access;
import be.needtoknow.common.audit.LegalBasis;
import be.needtoknow.common.audit.Refused;
import be.needtoknow.common.caller.Caller;
import be.needtoknow.common.problem.ProblemException;

/**
 * What referral-service needs from the pupil register to decide whose consent counts (M1, M2):
 * the birth date as the school's platform imported it, not as a caller types it. For the school's
 * referrers (its pupil counsellors and care coordinators), about a pupil of their own school; every
 * read, granted or refused, is audited (A1).
 */
@ApplicationScoped
public class PupilDiscernment {

    static final String ACTION = "pupil.discernment.read";
    static final String PURPOSE = "whose consent counts (age of discernment)";

    /**
     * The smallest answer that suffices: the birth date alone decides the age-12 presumption, on
     * whatever day referral-service decides (the presumption and its override, M1-M3, stay there).
     * Not the name or the class group, which a referral does not need; not a yes/no "capable", which
     * would move the rule here and hold only for the day it was asked.
     */
    public record Answer(String pupilId, LocalDate birthDate) {
    }

    @Inject
    AuditTrail audit;

    @Transactional
    public Answer read(Caller caller, String pupilId) {
        // The pupil is named by its pseudonym only: no record id that is the pupil's own id (N2).
        Access access = new Access(ACTION, caller.organisationId(), pupilId, "pupil", null, PURPOSE,
                LegalBasis.LEGAL_TASK);
        if (!GuidanceStaff.includes(caller)) {
            throw new Refused(caller, access, "not a pupil counsellor or care coordinator of a school",
                    ProblemException.forbidden("not-referrer", "The age of discernment is asked for by a school's pupil "
                    + "counsellors and care coordinators, who prepare referrals."));
        }
        // Scoped by the caller's school: another school's pupil is as unknown as one that does not exist.
        Pupil pupil = Pupil.of(caller.organisationId(), pupilId).orElse(null);
        if (pupil == null) {
            throw new Refused(caller, access, "unknown pupil",
                    ProblemException.notFound("Pupil '" + pupilId + "'"));
        }
        audit.granted(caller, access);
        return new Answer(pupilId, pupil.birthDate);
    }
}
