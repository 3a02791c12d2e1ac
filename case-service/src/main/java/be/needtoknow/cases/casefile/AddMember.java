package be.needtoknow.cases.casefile;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Adding a staff member of the school to a care team, with their role on it and the purpose. */
public record AddMember(
        @NotBlank @Size(max = 128) String username,
        @NotBlank @Pattern(regexp = "teacher|pupil-counsellor|care-coordinator|principal",
                message = "one of teacher, pupil-counsellor, care-coordinator, principal") String role,
        @NotBlank @Size(max = 500) String purpose) {
}
