package be.needtoknow.cases.note;

import java.time.OffsetDateTime;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PastOrPresent;
import jakarta.validation.constraints.Size;

import be.needtoknow.cases.casefile.CaseFileAccess.Visibility;

/** The request bodies of notes and notices. */
public final class NoteRequests {

    /** The longest note text, in characters. */
    public static final int MAX_TEXT = 20_000;

    private NoteRequests() {
    }

    public record WriteNote(@NotNull Note.Kind kind, @NotNull Visibility visibility,
            @NotBlank @Size(max = MAX_TEXT) String text) {
    }

    public record Correction(@NotBlank @Size(max = MAX_TEXT) String text) {
    }

    /** A note disclosed to a recipient, for a referral: to whom and why (N1). */
    public record Disclose(@NotBlank @Size(max = 64) String recipientId, @NotBlank @Size(max = 500) String purpose) {
    }

    public record RecordNotice(@NotNull @PastOrPresent OffsetDateTime givenAt, @NotNull ConfidentialityNotice.How how) {
    }
}
