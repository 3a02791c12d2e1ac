package be.needtoknow.cases.pupil;

import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * One of the family's contacts in the pupil register, as the school platform imports it: a parent
 * or guardian, or the pupil's own address. The family channel delivers the family's links here and
 * nowhere else (X, T4). No answer to staff carries an address: they learn how many there are.
 */
@Entity
@Table(name = "family_contact")
public class FamilyContact extends PanacheEntityBase {

    /** Who a contact reaches: the parents (or guardians), or the pupil (from 12, M1). */
    public enum Addressee {
        PARENTS, PUPIL
    }

    @Embeddable
    public record Key(@Column(name = "organisation_id") String organisationId, @Column(name = "pupil_id") String pupilId,
            int position) {
    }

    @EmbeddedId
    public Key key;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Addressee addressee;

    public String name;

    @Column(nullable = false)
    public String email;

    public String phone;

    /** The contacts of a pupil, in the order of the import. */
    public static List<FamilyContact> of(String organisationId, String pupilId) {
        return list("key.organisationId = ?1 and key.pupilId = ?2 order by key.position", organisationId, pupilId);
    }

    /** The addresses that reach the addressee. */
    public static List<String> addresses(String organisationId, String pupilId, Addressee addressee) {
        return of(organisationId, pupilId).stream().filter(c -> c.addressee == addressee).map(c -> c.email).toList();
    }

    /** The contacts an imported row names, as they are kept (position in the row's order). */
    static List<FamilyContact> from(String organisationId, PupilRow row) {
        List<FamilyContact> contacts = new ArrayList<>();
        for (PupilRow.Parent p : row.parentsOrNone()) {
            contacts.add(contact(organisationId, row.pupilId(), contacts.size(), Addressee.PARENTS, p.name(), p.email(),
                    p.phone()));
        }
        if (row.pupilEmail() != null && !row.pupilEmail().isBlank()) {
            contacts.add(contact(organisationId, row.pupilId(), contacts.size(), Addressee.PUPIL, null, row.pupilEmail(),
                    null));
        }
        return contacts;
    }

    private static FamilyContact contact(String organisationId, String pupilId, int position, Addressee addressee,
            String name, String email, String phone) {
        FamilyContact c = new FamilyContact();
        c.key = new Key(organisationId, pupilId, position);
        c.addressee = addressee;
        c.name = name;
        c.email = email;
        c.phone = phone;
        return c;
    }

    /** Whether two lists of contacts say the same. */
    static boolean same(List<FamilyContact> a, List<FamilyContact> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            FamilyContact x = a.get(i);
            FamilyContact y = b.get(i);
            if (x.addressee != y.addressee || !java.util.Objects.equals(x.name, y.name) || !x.email.equals(y.email)
                    || !java.util.Objects.equals(x.phone, y.phone)) {
                return false;
            }
        }
        return true;
    }
}
