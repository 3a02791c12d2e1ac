package be.needtoknow.cases.note;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import be.needtoknow.cases.casefile.CaseFileAccess.Visibility;

/** Notes and notices as shown to whoever may read them. */
public final class NoteViews {

    private NoteViews() {
    }

    /** A version of a note. */
    public record Version(UUID id, String author, OffsetDateTime writtenAt, String text) {
        static Version of(Note note) {
            return new Version(note.id, note.authorUsername, note.writtenAt, note.text);
        }
    }

    /** The current version of a note, with the versions it corrected (newest first). */
    public record NoteView(UUID id, UUID caseFileId, Note.Kind kind, Visibility visibility, String author,
            OffsetDateTime writtenAt, String text, List<Version> history) {
    }

    /** A note as handed over for a referral's draft: its kind, date and text, and whose pupil it is about. */
    public record ForReferral(UUID noteId, String pupilId, Note.Kind kind, OffsetDateTime writtenAt, String text) {
    }

    public record NoticeView(UUID id, String givenBy, OffsetDateTime givenAt, ConfidentialityNotice.How how,
            OffsetDateTime recordedAt) {
        static NoticeView of(ConfidentialityNotice n) {
            return new NoticeView(n.id, n.givenBy, n.givenAt, n.how, n.recordedAt);
        }
    }
}
