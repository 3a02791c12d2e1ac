package be.needtoknow.cases.pupil;

import java.time.LocalDate;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Past;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * One pupil of an import batch, with the family's contacts: the parents or guardians, and the
 * pupil's own address (used from 12, M1). The suite delivers the family's links to these addresses
 * only (X, T4): never to an address given with a staff member's request.
 */
public record PupilRow(
        @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9._-]+", message = "letters, digits, '.', '_' and '-' only") String pupilId,
        @NotBlank @Size(max = 100) String givenName,
        @NotBlank @Size(max = 100) String familyName,
        @NotNull @Past LocalDate birthDate,
        @NotBlank @Size(max = 32) String classGroup,
        @Size(max = 4) List<@Valid @NotNull Parent> parents,
        @Size(max = 254) @Email(regexp = Parent.ADDRESS, message = "an e-mail address") String pupilEmail) {

    /** A parent or guardian: name, e-mail address, optionally a phone number. */
    public record Parent(
            @NotBlank @Size(max = 200) String name,
            @NotBlank @Size(max = 254) @Email(regexp = ADDRESS, message = "an e-mail address") String email,
            @Size(max = 32) @Pattern(regexp = "\\+?[0-9 ./()-]{6,32}", message = "a phone number") String phone) {

        /** A plain address: a local part, one '@', a domain with a dot; no spaces, no display name. */
        static final String ADDRESS = "[^@\\s<>\"]+@[^@\\s<>\"]+\\.[^@\\s<>\"]+";
    }

    /** The parents, never null. */
    public List<Parent> parentsOrNone() {
        return parents == null ? List.of() : parents;
    }
}
