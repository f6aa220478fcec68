package io.sohbet.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Objects;

/**
 * A CloudEvents 1.0 envelope in structured JSON mode, the one form every Sohbet record on Kafka takes.
 *
 * @param id      unique and deterministic per fact, so that consumers can drop redeliveries and duplicates
 * @param type    {@code sohbet.<topic>.v1}
 * @param source  the producing service, e.g. {@code /sohbet/webhook-service}
 * @param time    when the fact happened (not when it was published)
 * @param subject the subject id the event is about; also the Kafka key
 * @param datacontenttype {@code null} (not written) for JSON data, which is what every Sohbet event carries: the
 *                CloudEvents JSON format reads an absent content type as {@code application/json}; events written
 *                before carried it explicitly
 * @param data    the payload as JSON; read it with {@link #dataAs(Class)}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CloudEvent(String specversion, String id, String type, String source, Instant time, String subject,
        String datacontenttype, JsonNode data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String CONTENT_TYPE = "application/cloudevents+json";

    public CloudEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(source, "source");
        specversion = specversion == null ? SPEC_VERSION : specversion;
    }

    /** An event for {@code topic} carrying {@code payload}, which is turned into JSON with {@link EventJson}. */
    public static CloudEvent of(String topic, String id, String source, Instant time, String subject, Object payload) {
        return new CloudEvent(SPEC_VERSION, id, Topics.eventType(topic), source, time, subject, null,
                EventJson.MAPPER.valueToTree(payload));
    }

    /** The payload as a record of the given type. */
    public <T> T dataAs(Class<T> type) {
        try {
            return EventJson.MAPPER.treeToValue(data, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event " + id + " of type " + this.type + " has no valid "
                    + type.getSimpleName() + " payload: " + e.getOriginalMessage(), e);
        }
    }
}
