package be.needtoknow.referrals.consent;

import java.time.LocalDate;
import java.time.Period;

/**
 * M1-M3: from age 12 a pupil is presumed capable of discernment (the Flemish decree on the legal
 * position of minors in youth care); the presumption can be overridden either way with a reason.
 */
public final class Discernment {

    public static final int PRESUMED_AGE = 12;

    private Discernment() {
    }

    public static boolean presumedCapable(LocalDate birthDate, LocalDate today) {
        return Period.between(birthDate, today).getYears() >= PRESUMED_AGE;
    }

    /** The presumption, or the override when one is recorded. */
    public static boolean capable(LocalDate birthDate, LocalDate today, Boolean override) {
        return override != null ? override : presumedCapable(birthDate, today);
    }
}
