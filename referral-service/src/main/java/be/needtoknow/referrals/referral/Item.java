package be.needtoknow.referrals.referral;

import java.time.LocalDate;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Past;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * N1: one item of what a referral carries, chosen by a person, each with its purpose. Nothing
 * leaves the case file whole: the recipient receives exactly the list of items, nothing else
 * (absent fields are left out, not sent as null).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(value = Item.Question.class, name = "QUESTION"),
        @JsonSubTypes.Type(value = Item.PupilIdentification.class, name = "PUPIL"),
        @JsonSubTypes.Type(value = Item.Contact.class, name = "CONTACT"),
        @JsonSubTypes.Type(value = Item.Note.class, name = "NOTE") })
public sealed interface Item {

    String purpose();

    /** The question for help. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Question(@NotBlank @Size(max = 500) String purpose, @NotBlank @Size(max = 4000) String text)
            implements Item, Choice {
    }

    /** A note of the case file (or an excerpt of it), as case-service disclosed it: no internal ids. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Note(String purpose, String kind, java.time.OffsetDateTime writtenAt, String text) implements Item {
    }

    /** The pupil's identification, as far as the recipient needs it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PupilIdentification(@NotBlank @Size(max = 500) String purpose, @NotBlank @Size(max = 100) String givenName,
            @NotBlank @Size(max = 100) String familyName, @NotNull @Past LocalDate birthDate) implements Item, Choice {
    }

    /** The referring person's contact details. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Contact(@NotBlank @Size(max = 500) String purpose, @NotBlank @Size(max = 200) String name,
            @Email @Size(max = 200) String email, @Size(max = 40) String phone) implements Item, Choice {
    }
}
