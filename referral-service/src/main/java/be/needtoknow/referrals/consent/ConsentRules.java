package be.needtoknow.referrals.consent;

import java.time.LocalDate;
import java.util.Optional;

import be.needtoknow.referrals.consent.ConsentRecord.Answer;
import be.needtoknow.referrals.consent.ConsentRecord.Party;

/**
 * When a consent record covers sending (T1, M1-M3). Plain Java: returns the reason it does not,
 * with the rule id, or empty when it does.
 */
public final class ConsentRules {

    /** Why a consent record does not suffice. */
    public record Shortfall(String rule, String reason) {
    }

    private ConsentRules() {
    }

    public static Optional<Shortfall> check(ConsentRecord consent, LocalDate birthDate, LocalDate today) {
        if (consent.capableOverride() != null && (consent.overrideReason() == null || consent.overrideReason().isBlank())) {
            return Optional.of(new Shortfall("M3", "An override of the age-12 presumption needs a recorded reason."));
        }
        boolean capable = Discernment.capable(birthDate, today, consent.capableOverride());
        Optional<Answer> pupil = answer(consent, Party.PUPIL);
        Optional<Answer> parents = answer(consent, Party.PARENTS);
        if (consent.parentsNotInformed()) {
            if (!capable) {
                return Optional.of(new Shortfall("M1", "Only a pupil capable of discernment may ask that the parents "
                        + "not be informed."));
            }
            if (consent.parentsNotInformedDecidedBy() == null || consent.parentsNotInformedDecidedBy().isBlank()) {
                return Optional.of(new Shortfall("M1", "Record who decided that the parents are not informed."));
            }
        }
        if (capable) {
            if (pupil.orElse(null) != Answer.AGREED) {
                return Optional.of(new Shortfall("M1", "The pupil is capable of discernment: the pupil's own consent is needed."));
            }
            return Optional.empty(); // M1: the pupil's own consent counts; a parents' answer stays on record
        }
        if (parents.orElse(null) != Answer.AGREED) {
            return Optional.of(new Shortfall("M2", "Below the age of discernment the parents consent."));
        }
        if (pupil.isEmpty()) {
            return Optional.of(new Shortfall("M2", "Below the age of discernment the child is still heard: record it."));
        }
        return Optional.empty();
    }

    /**
     * X, T1: a transfer to another school needs the record of the discussion with the parents and
     * with the pupil, and the item list agreed: by the parents, and by the pupil too when capable of
     * discernment (below that age the child is heard, as in M2). The parents are always involved in a
     * transfer: a pupil's wish to leave them out (M1) is for care, not for a change of school.
     */
    public static Optional<Shortfall> checkTransfer(ConsentRecord discussion, LocalDate birthDate, LocalDate today) {
        if (discussion.capableOverride() != null
                && (discussion.overrideReason() == null || discussion.overrideReason().isBlank())) {
            return Optional.of(new Shortfall("M3", "An override of the age-12 presumption needs a recorded reason."));
        }
        if (discussion.parentsNotInformed()) {
            return Optional.of(new Shortfall("X", "A transfer to another school is discussed with the parents too."));
        }
        Optional<Answer> pupil = answer(discussion, Party.PUPIL);
        Optional<Answer> parents = answer(discussion, Party.PARENTS);
        if (pupil.isEmpty() || parents.isEmpty()) {
            return Optional.of(new Shortfall("X", "What a transfer passes on is discussed with the parents and with the "
                    + "pupil: record both conversations."));
        }
        if (parents.get() != Answer.AGREED) {
            return Optional.of(new Shortfall("X", "The parents did not agree to this item list: change the items and "
                    + "discuss them again."));
        }
        boolean capable = Discernment.capable(birthDate, today, discussion.capableOverride());
        if (capable && pupil.get() != Answer.AGREED) {
            return Optional.of(new Shortfall("X", "The pupil is capable of discernment and did not agree to this item "
                    + "list: change the items and discuss them again."));
        }
        return Optional.empty();
    }

    private static Optional<Answer> answer(ConsentRecord consent, Party party) {
        return consent.consulted().stream().filter(c -> c.party() == party).map(ConsentRecord.Consultation::answer)
                .reduce((first, later) -> later);
    }
}
