package io.sohbet.consent.service;

import io.smallrye.mutiny.Uni;
import io.sohbet.consent.domain.ConsentRecord;
import io.sohbet.consent.domain.OutboxEvent;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.CloudEventSerializer;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.ConsentChange;
import io.sohbet.events.payload.PrivacyErasure;
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
        return write(Topics.CONSENT_CHANGE, record.subjectId, event);
    }

    /** Asks every service to erase a subject ({@code privacy.erasure}); call inside the request's transaction. */
    public Uni<Void> erasureRequested(String requestId, String subjectId, Instant requestedAt) {
        return write(Topics.PRIVACY_ERASURE, subjectId, CloudEvent.of(Topics.PRIVACY_ERASURE, "erasure:" + requestId,
                "/sohbet/consent-service", requestedAt, subjectId, new PrivacyErasure(requestId, requestedAt)));
    }

    private Uni<Void> write(String topic, String key, CloudEvent event) {
        OutboxEvent row = new OutboxEvent();
        row.topic = topic;
        row.eventKey = key;
        row.event = new String(serializer.serialize(topic, event), StandardCharsets.UTF_8);
        row.createdAt = Instant.now();
        return row.persist().replaceWithVoid();
    }
}
