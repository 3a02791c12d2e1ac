package be.needtoknow.cases.access;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Everything case-service holds on one pupil (T4), except what {@link #leftOut} names: private
 * working notes and who reported a signal.
 */
public record PupilExport(OffsetDateTime generatedAt, String generatedBy, Pupil pupil, List<CaseFile> caseFiles,
        List<Signal> signals, List<DisciplineMeasure> disciplineMeasures, List<String> leftOut) {

    public static final String PRIVATE_NOTES = "private-working-notes";
    public static final String SIGNAL_REPORTERS = "signal-reporters";

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
