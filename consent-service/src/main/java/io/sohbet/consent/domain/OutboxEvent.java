package io.sohbet.consent.domain;

import io.sohbet.consent.repository.Database;
import io.vertx.mutiny.sqlclient.Row;

import java.time.Instant;

/**
 * An event waiting in the transactional outbox (table {@code outbox}); the relay deletes it once Kafka acknowledged
 * it.
 */
public class OutboxEvent {

    public Long id;

    public String topic;

    public String eventKey;

    /** The CloudEvent as JSON. */
    public String event;

    public Instant createdAt;

    /** The event a row of {@code outbox} holds (every column it maps; {@code published_at} is no longer used, V7). */
    public static OutboxEvent from(Row row) {
        OutboxEvent event = new OutboxEvent();
        event.id = row.getLong("id");
        event.topic = row.getString("topic");
        event.eventKey = row.getString("event_key");
        event.event = row.getString("event");
        event.createdAt = Database.instant(row, "created_at");
        return event;
    }
}
