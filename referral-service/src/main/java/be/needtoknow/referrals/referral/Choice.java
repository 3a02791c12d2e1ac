package be.needtoknow.referrals.referral;

import java.util.UUID;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * An item as the counsellor chooses it. Most are sent as they are; a note is named by its case
 * file and id (and optionally cut to an excerpt), and becomes an {@link Item.Note} once
 * case-service has disclosed it.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(value = Item.Question.class, name = "QUESTION"),
        @JsonSubTypes.Type(value = Item.PupilIdentification.class, name = "PUPIL"),
        @JsonSubTypes.Type(value = Item.Contact.class, name = "CONTACT"),
        @JsonSubTypes.Type(value = Choice.NoteChoice.class, name = "NOTE"),
        @JsonSubTypes.Type(value = Choice.DisciplineChoice.class, name = "DISCIPLINE_MEASURE") })
public interface Choice {

    String purpose();

    /** A note of the pupil's case file, whole or an excerpt of it (the excerpt must be the note's own words). */
    record NoteChoice(@NotBlank @Size(max = 500) String purpose, @NotNull UUID caseFileId, @NotNull UUID noteId,
            @Size(max = 20_000) String excerpt) implements Choice {
    }

    /**
     * A measure of the discipline register. Never eligible (X, R1): named here only so that the
     * refusal cites the rule instead of an unknown item type.
     */
    record DisciplineChoice(@Size(max = 500) String purpose, UUID measureId) implements Choice {
    }
}
