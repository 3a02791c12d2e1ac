package be.needtoknow.referrals.referral;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** The request bodies of the referral endpoints. */
public final class ReferralRequests {

    private ReferralRequests() {
    }

    /**
     * A new draft: for which pupil, to whom (a CLB or care service: a referral; another school: a
     * transfer, X). No birth date: the age-12 presumption (M1, M2) is decided on the pupil
     * register's, which case-service holds. A client that still sends {@code pupilBirthDate} gets
     * the 400 {@code unknown-field} problem naming it, as for every field this service does not take
     * (quarkus.jackson.fail-on-unknown-properties): refused loudly rather than silently ignored, so
     * that nobody believes the date they typed decides.
     */
    public record Create(@NotBlank @Size(max = 64) String pupilId, @NotBlank @Size(max = 64) String recipientId,
            boolean afterDefinitiveExclusion) {
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
