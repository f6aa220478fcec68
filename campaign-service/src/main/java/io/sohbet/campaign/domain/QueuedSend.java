package io.sohbet.campaign.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One recipient of a campaign in the durable send queue; (campaign, subject) is unique, so nobody is queued twice. */
@Entity
@Table(name = "send_queue")
public class QueuedSend extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    public Long id;

    @Column(name = "campaign_id")
    public String campaignId;

    @Column(name = "subject_id")
    public String subjectId;

    @Column(name = "variant")
    public String variant;

    @Column(name = "status")
    public String status;

    @Column(name = "due_at")
    public Instant dueAt;
}
