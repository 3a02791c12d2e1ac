package be.needtoknow.cases.staff;

import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import be.needtoknow.common.caller.Roles;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A staff member of a school: their functions and the class groups they teach, as the platform imports them. */
@Entity
@Table(name = "staff_member")
public class StaffMember extends PanacheEntityBase {

    @EmbeddedId
    public Key key;

    @Column(name = "display_name", nullable = false)
    public String displayName;

    /** Comma-separated, sorted. */
    @Column(nullable = false)
    public String functions;

    /** Comma-separated, sorted. */
    @Column(name = "class_groups", nullable = false)
    public String classGroups;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    public static Optional<StaffMember> of(String organisationId, String username) {
        return findByIdOptional(new Key(organisationId, username));
    }

    public Set<String> functionSet() {
        return split(functions);
    }

    public Set<String> classGroupSet() {
        return split(classGroups);
    }

    /** R1: whoever enforces discipline at the school. */
    public boolean enforcesDiscipline() {
        return functionSet().contains(Roles.DISCIPLINE);
    }

    static String join(Set<String> values) {
        return String.join(",", new TreeSet<>(values));
    }

    private static Set<String> split(String joined) {
        return joined.isEmpty() ? Set.of() : new TreeSet<>(Arrays.asList(joined.split(",")));
    }

    @Embeddable
    public static class Key implements Serializable {
        @Column(name = "organisation_id")
        public String organisationId;
        @Column(name = "username")
        public String username;

        public Key() {
        }

        public Key(String organisationId, String username) {
            this.organisationId = organisationId;
            this.username = username;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.organisationId.equals(organisationId) && k.username.equals(username);
        }

        @Override
        public int hashCode() {
            return Objects.hash(organisationId, username);
        }
    }
}
