package be.needtoknow.referrals.recipient;

import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A party a referral or transfer can go to: a CLB, an external care service, another school. */
@Entity
@Table(name = "recipient")
public class Recipient extends PanacheEntityBase {

    public enum Type {
        CLB, CARE, SCHOOL
    }

    @Id
    public String id;

    @Column(nullable = false)
    public String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Type type;

    /** C3: an external care service the school may refer to directly (not only through the CLB). */
    @Column(name = "directly_accessible", nullable = false)
    public boolean directlyAccessible;

    public static Optional<Recipient> byId(String id) {
        return findByIdOptional(id);
    }

    /** The topic only this recipient reads (N2). */
    public static String topicOf(String recipientId) {
        return "ntk.referrals." + recipientId + ".v1";
    }
}
