package be.needtoknow.cases.access;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * T4: what case-service holds on one pupil, for the parents or the pupil who asked (through the
 * link of their {@link AccessRequest}), except what {@link #leftOut} names: private working notes,
 * who reported a signal and, for the parents of a pupil of 12 or more, the pupil's conversation notes. Built when the link is read, never stored.
 */
public record AccessPackage(OffsetDateTime generatedAt, AccessRequest.Requester requestedBy, OffsetDateTime requestedAt,
        Pupil pupil, List<CaseFile> caseFiles, List<Signal> signals, List<DisciplineMeasure> disciplineMeasures,
        List<String> leftOut) {

    public static final String PRIVATE_NOTES = "private-working-notes";
    public static final String SIGNAL_REPORTERS = "signal-reporters";
    /** M1, GDPR art. 15(4): in the parents' package, the conversation notes of a pupil of 12 or more. */
    public static final String PUPIL_CONVERSATIONS = "pupil-conversation-notes";

    public record Pupil(String pupilId, String givenName, String familyName, LocalDate birthDate, String classGroup) {
    }

    public record CaseFile(UUID id, String status, String owner, String reason, OffsetDateTime openedAt,
            OffsetDateTime closedAt, List<Member> careTeam, List<Notice> confidentialityNotices, List<Note> notes) {
    }

    public record Member(String username, String role, String purpose, OffsetDateTime addedAt) {
    }

    public record Notice(String givenBy, OffsetDateTime givenAt, String how) {
    }

    public record Note(UUID id, String kind, String visibility, String author, OffsetDateTime writtenAt, String text,
            UUID corrects) {
    }

    public record Signal(OffsetDateTime reportedAt, String concern, String status) {
    }

    public record DisciplineMeasure(String measureType, LocalDate decidedOn, String decidedBy) {
    }
}
