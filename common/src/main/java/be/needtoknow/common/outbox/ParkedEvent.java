package be.needtoknow.common.outbox;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * An outbox event the relay parked: its metadata and why, read-only. The payload stays in
 * the table and is not mapped here, so that no listing, log or answer can carry it (it may hold a
 * note's excerpt). Rows are moved in and out by {@link ParkedEvents}.
 */
@Entity
@Table(name = "outbox_parked")
public class ParkedEvent extends PanacheEntityBase {

    @Id
    public Long position;

    @Column(name = "event_id", nullable = false, updatable = false)
    public UUID eventId;

    @Column(nullable = false, updatable = false)
    public String topic;

    @Column(name = "event_type", nullable = false, updatable = false)
    public String type;

    @Column(updatable = false)
    public String subject;

    @Column(name = "reason_class", nullable = false, updatable = false)
    public String reasonClass;

    @Column(name = "reason_message", nullable = false, updatable = false)
    public String reasonMessage;

    @Column(nullable = false, updatable = false)
    public int attempts;

    @Column(name = "parked_at", nullable = false, updatable = false)
    public OffsetDateTime parkedAt;
}
