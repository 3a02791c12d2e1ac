package be.needtoknow.referrals.referral;

import java.time.LocalDate;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Past;
import jakarta.validation.constraints.Size;

/** The request bodies of the referral endpoints. */
public final class ReferralRequests {

    private ReferralRequests() {
    }

    /**
     * A new draft: for which pupil, to whom (a CLB or care service: a referral; another school: a
     * transfer, X). The birth date serves the age-12 presumption only.
     */
    public record Create(@NotBlank @Size(max = 64) String pupilId, @NotNull @Past LocalDate pupilBirthDate,
            @NotBlank @Size(max = 64) String recipientId, boolean afterDefinitiveExclusion) {
    }

    public record Items(@NotNull @Size(min = 1, max = 20) List<@Valid @NotNull Choice> items) {
    }

    /** Without consent: only in urgent danger to the pupil, with a written justification. */
    public record UrgentDanger(@NotBlank @Size(min = 20, max = 4000) String justification) {
    }

    /** C2: feedback the recipient explicitly releases for the school. */
    public record Feedback(@NotBlank @Size(max = 4000) String text,
            @jakarta.validation.constraints.AssertTrue(message = "feedback reaches the school only when explicitly released") boolean releasedForSchool) {
    }

    public record Decline(@NotBlank @Size(max = 2000) String reason) {
    }
}
