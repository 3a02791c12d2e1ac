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

    /** A new draft: for which pupil, to whom. The birth date serves the age-12 presumption only. */
    public record Create(@NotBlank @Size(max = 64) String pupilId, @NotNull @Past LocalDate pupilBirthDate,
            @NotBlank @Size(max = 64) String recipientId) {
    }

    public record Items(@NotNull @Size(min = 1, max = 20) List<@Valid @NotNull Item> items) {
    }

    public record Decline(@NotBlank @Size(max = 2000) String reason) {
    }
}
