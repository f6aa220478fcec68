package io.sohbet.consent.service;

import io.smallrye.mutiny.Uni;
import io.sohbet.consent.domain.ConsentRecord;
import io.sohbet.consent.repository.Database;
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
    private final Database database;

    public Outbox(Database database) {
        this.database = database;
    }

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
        return database.update("INSERT INTO outbox (topic, event_key, event, created_at) VALUES ($1, $2, $3, $4)",
                topic, key, new String(serializer.serialize(topic, event), StandardCharsets.UTF_8), Instant.now())
                .replaceWithVoid();
    }
}
