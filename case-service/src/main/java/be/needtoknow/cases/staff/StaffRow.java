package be.needtoknow.cases.staff;

import java.util.Set;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** One staff member of an import batch: the school functions they hold and the class groups they teach. */
public record StaffRow(
        @NotBlank @Size(max = 128) @Pattern(regexp = "[A-Za-z0-9._@-]+", message = "letters, digits, '.', '_', '@' and '-' only") String username,
        @NotBlank @Size(max = 200) String name,
        @NotNull @Size(min = 1, max = 5) Set<@NotNull @Pattern(regexp = "teacher|pupil-counsellor|care-coordinator|principal|discipline",
                message = "one of teacher, pupil-counsellor, care-coordinator, principal, discipline") String> functions,
        @NotNull @Size(max = 50) Set<@NotBlank @Size(max = 32) @Pattern(regexp = "[^,]+", message = "no commas") String> classGroups) {
}
