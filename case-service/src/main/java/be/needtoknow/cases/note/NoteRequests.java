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

    /**
     * N1: a note asked for a referral's draft: the referral's id and referral-service's grant for it
     * ({@link be.needtoknow.common.referral.ReferralGrant}), nothing else. No recipient, no purpose:
     * no caller-supplied text reaches the audit trail (a client that still sends {@code purpose} or
     * {@code recipientId} gets the 400 {@code unknown-field} problem). The note's disclosure is
     * recorded by referral-service when the referral is sent.
     */
    public record ForReferral(@NotNull java.util.UUID referralId, @NotBlank @Size(max = 2000) String grant) {
    }

    public record RecordNotice(@NotNull @PastOrPresent OffsetDateTime givenAt, @NotNull ConfidentialityNotice.How how) {
    }
}
