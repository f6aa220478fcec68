package io.sohbet.metrics.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** The furthest known state of one message the business sent, and the campaign it belongs to once known. */
@Entity
@Table(name = "message_state")
public class MessageState extends PanacheEntityBase {

    @Id
    @Column(name = "wamid")
    public String wamid;

    @Column(name = "subject_id")
    public String subjectId;

    @Column(name = "campaign_id")
    public String campaignId;

    @Column(name = "variant")
    public String variant;

    @Column(name = "message_type")
    public String messageType;

    @Column(name = "sent_at")
    public Instant sentAt;

    @Column(name = "delivered_at")
    public Instant deliveredAt;

    @Column(name = "read_at")
    public Instant readAt;

    @Column(name = "failed_at")
    public Instant failedAt;

    @Column(name = "error_code")
    public Integer errorCode;
}
