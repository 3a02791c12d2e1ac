package be.needtoknow.cases.note;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;

import be.needtoknow.cases.casefile.CaseFileAccess.Visibility;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A note on a case file. Immutable: a correction is a new note that names the one it corrects. */
@Entity
@Table(name = "note")
public class Note extends PanacheEntityBase {

    public enum Kind {
        CONVERSATION, OBSERVATION, MEETING, AGREEMENT
    }

    @Id
    public UUID id;

    @Column(name = "case_file_id", nullable = false)
    public UUID caseFileId;

    /** The note this one corrects, or null for a first version. */
    public UUID corrects;

    @Column(name = "author_subject", nullable = false)
    public String authorSubject;

    @Column(name = "author_username", nullable = false)
    public String authorUsername;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Kind kind;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Visibility visibility;

    @Column(nullable = false)
    public String text;

    @Column(name = "written_at", nullable = false)
    public OffsetDateTime writtenAt;

    public static List<Note> ofCaseFile(UUID caseFileId) {
        return list("caseFileId = ?1 order by writtenAt", caseFileId);
    }

    static Optional<Note> inCaseFile(UUID caseFileId, UUID id) {
        return find("caseFileId = ?1 and id = ?2", caseFileId, id).firstResultOptional();
    }

    /**
     * The note, its row locked until the transaction ends: two corrections of one version are taken
     * one after the other, so the second sees the first and is refused (the chain has no fork). The
     * unique index note_corrected_once stays the database's own guard.
     */
    static Optional<Note> inCaseFileForCorrection(UUID caseFileId, UUID id) {
        return find("caseFileId = ?1 and id = ?2", caseFileId, id).withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional();
    }

    static boolean isCorrected(UUID id) {
        return count("corrects = ?1", id) > 0;
    }
}
