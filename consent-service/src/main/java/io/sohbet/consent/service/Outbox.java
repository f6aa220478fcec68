package io.sohbet.consent.service;

import io.smallrye.mutiny.Uni;
import io.sohbet.consent.domain.ConsentRecord;
import io.sohbet.consent.domain.OutboxEvent;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.CloudEventSerializer;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.ConsentChange;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Writes events into the outbox, inside the caller's transaction. */
@ApplicationScoped
public class Outbox {

    private final CloudEventSerializer serializer = new CloudEventSerializer();

    /** Announces a ledger entry as {@code consent.change}; call inside the transaction that persisted it. */
    public Uni<Void> consentChanged(ConsentRecord record) {
        CloudEvent event = CloudEvent.of(Topics.CONSENT_CHANGE, "consent:" + record.id, "/sohbet/consent-service",
                record.capturedAt, record.subjectId,
                new ConsentChange(record.purpose, record.channel, record.state, record.source, record.capturedAt));
        OutboxEvent row = new OutboxEvent();
        row.topic = Topics.CONSENT_CHANGE;
        row.eventKey = record.subjectId;
        row.event = new String(serializer.serialize(row.topic, event), StandardCharsets.UTF_8);
        row.createdAt = Instant.now();
        return row.persist().replaceWithVoid();
    }
}
