package io.sohbet.webhook.service;

import io.sohbet.events.CloudEventSerializer;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.WaStatus;

import java.time.Instant;
import java.util.function.Function;

/**
 * An event read from a webhook, before its personal fields are sealed.
 *
 * @param key      the Kafka key: the subject id, or an account key for events about the business account
 * @param subject  the subject id, or {@code null} for account events
 * @param personal whether the payload has personal fields (then the subject's key is needed)
 */
public record EventDraft(String topic, String id, String key, String subject, Instant time, boolean personal,
        Function<Sealer, Object> payload) {

    public static final String SOURCE = "/sohbet/webhook-service";

    /** The event as the bytes that go to Kafka, personal fields sealed with {@code sealer}. */
    public byte[] encode(Sealer sealer) {
        Object data = payload.apply(sealer);
        // statuses (most events) are written by hand: the same bytes, without the object writer's introspection
        return data instanceof WaStatus status && Topics.WA_STATUS.equals(topic) ? StatusEvents.encode(id, SOURCE, time, subject, status)
                : CloudEventSerializer.encode(topic, id, SOURCE, time, subject, data);
    }
}
