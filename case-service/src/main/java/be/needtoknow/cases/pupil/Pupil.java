package be.needtoknow.cases.pupil;

import java.io.Serializable;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A pupil of a school, as the school's platform imports it. The pupil id is scoped by the school. */
@Entity
@Table(name = "pupil")
public class Pupil extends PanacheEntityBase {

    @EmbeddedId
    public Key key;

    @Column(name = "given_name", nullable = false)
    public String givenName;

    @Column(name = "family_name", nullable = false)
    public String familyName;

    @Column(name = "birth_date", nullable = false)
    public LocalDate birthDate;

    @Column(name = "class_group", nullable = false)
    public String classGroup;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    /**
     * A5: when the pupil left the school, i.e. was first missing from a complete import of the
     * school's pupils; null while the pupil is at the school (a pupil who comes back clears it).
     * The retention purge removes the pupil and their records {@code ntk.retention.left-pupil} later.
     */
    @Column(name = "left_at")
    public OffsetDateTime leftAt;

    public static Optional<Pupil> of(String organisationId, String pupilId) {
        return findByIdOptional(new Key(organisationId, pupilId));
    }

    /** True if the imported row says something this record does not say yet. */
    boolean differsFrom(PupilRow row) {
        return !(givenName.equals(row.givenName()) && familyName.equals(row.familyName())
                && birthDate.equals(row.birthDate()) && classGroup.equals(row.classGroup()));
    }

    void take(PupilRow row, OffsetDateTime now) {
        givenName = row.givenName();
        familyName = row.familyName();
        birthDate = row.birthDate();
        classGroup = row.classGroup();
        updatedAt = now;
    }

    @Embeddable
    public static class Key implements Serializable {
        @Column(name = "organisation_id")
        public String organisationId;
        @Column(name = "pupil_id")
        public String pupilId;

        public Key() {
        }

        public Key(String organisationId, String pupilId) {
            this.organisationId = organisationId;
            this.pupilId = pupilId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.organisationId.equals(organisationId) && k.pupilId.equals(pupilId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(organisationId, pupilId);
        }
    }
}
