package be.needtoknow.cases.casefile;

import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A named member of a pupil's care team, with a role and a purpose (N3). */
@Entity
@Table(name = "care_team_member")
@IdClass(CareTeamMember.Key.class)
public class CareTeamMember extends PanacheEntityBase {

    @Id
    @Column(name = "case_file_id")
    public UUID caseFileId;

    @Id
    public String username;

    @Column(name = "team_role", nullable = false)
    public String teamRole;

    @Column(nullable = false)
    public String purpose;

    @Column(name = "added_by", nullable = false)
    public String addedBy;

    @Column(name = "added_at", nullable = false)
    public OffsetDateTime addedAt;

    public static boolean isMember(UUID caseFileId, String username) {
        return count("caseFileId = ?1 and username = ?2", caseFileId, username) > 0;
    }

    public static List<CareTeamMember> of(UUID caseFileId) {
        return list("caseFileId = ?1 order by addedAt", caseFileId);
    }

    /** The composite key. */
    public static class Key implements Serializable {
        public UUID caseFileId;
        public String username;

        public Key() {
        }

        public Key(UUID caseFileId, String username) {
            this.caseFileId = caseFileId;
            this.username = username;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.caseFileId.equals(caseFileId) && k.username.equals(username);
        }

        @Override
        public int hashCode() {
            return Objects.hash(caseFileId, username);
        }
    }
}
