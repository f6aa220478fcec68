package io.sohbet.consent.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A subject's contact details in the identity vault, each field sealed with the subject's data key. */
@Entity
@Table(name = "identity")
public class Identity extends PanacheEntityBase {

    @Id
    @Column(name = "subject_id")
    public String subjectId;

    public String phone;

    public String name;

    public String email;

    /** Where the latest details came from: whatsapp, shop, api, rectification. */
    @Column(nullable = false)
    public String source;

    /** When the source saw the details (events can arrive late: older details never overwrite newer ones). */
    @Column(name = "seen_at", nullable = false)
    public Instant seenAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
