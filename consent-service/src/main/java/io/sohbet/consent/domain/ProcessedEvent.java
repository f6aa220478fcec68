package io.sohbet.consent.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** The id of an event this service consumed; written in the same transaction as the event's effect. */
@Entity
@Table(name = "processed_event")
public class ProcessedEvent extends PanacheEntityBase {

    @Id
    @Column(name = "event_id")
    public String eventId;

    @Column(name = "processed_at", nullable = false)
    public Instant processedAt;

    public static ProcessedEvent of(String eventId, Instant processedAt) {
        ProcessedEvent processed = new ProcessedEvent();
        processed.eventId = eventId;
        processed.processedAt = processedAt;
        return processed;
    }
}
