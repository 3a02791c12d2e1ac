package be.needtoknow.referrals.consent;

import java.time.OffsetDateTime;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PastOrPresent;
import jakarta.validation.constraints.Size;

/**
 * T1/T2: what was discussed with whom (pupil, parents), when, how, and each one's answer; the
 * discernment override (M3) with its reason; the pupil's wish that the parents not be informed
 * (M1) and who decided on it.
 */
public record ConsentRecord(
        @NotNull @Size(min = 1, max = 4) List<@Valid @NotNull Consultation> consulted,
        Boolean capableOverride,
        @Size(max = 1000) String overrideReason,
        boolean parentsNotInformed,
        @Size(max = 128) String parentsNotInformedDecidedBy) {

    public enum Party {
        PUPIL, PARENTS
    }

    public enum Answer {
        AGREED, REFUSED, HEARD
    }

    public record Consultation(@NotNull Party party, @NotNull @PastOrPresent OffsetDateTime when,
            @NotBlank @Size(max = 200) String how, @NotNull Answer answer) {
    }
}
