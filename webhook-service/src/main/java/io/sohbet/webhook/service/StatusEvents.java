package io.sohbet.webhook.service;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.CloudEventSerializer;
import io.sohbet.events.EventJson;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.WaError;
import io.sohbet.events.payload.WaStatus;
import org.apache.kafka.common.errors.SerializationException;

import java.io.IOException;
import java.time.Instant;

/**
 * Writes a {@code wa.status} CloudEvent straight to bytes with a {@link JsonGenerator}: the very bytes
 * {@link CloudEventSerializer#encode} writes (same factory, field order and null handling; a test compares them), without
 * the object writer's property introspection per field. Statuses are most of what webhook-service publishes (eight per
 * delivery of a campaign), and the object writer was the largest part of building them (docs/benchmarks.md).
 */
final class StatusEvents {

    private static final JsonFactory FACTORY = EventJson.MAPPER.getFactory();
    private static final String TYPE = Topics.eventType(Topics.WA_STATUS);
    private static final SerializableString SPECVERSION = new SerializedString("specversion");
    private static final SerializableString ID = new SerializedString("id");
    private static final SerializableString TYPE_FIELD = new SerializedString("type");
    private static final SerializableString SOURCE = new SerializedString("source");
    private static final SerializableString TIME = new SerializedString("time");
    private static final SerializableString SUBJECT = new SerializedString("subject");
    private static final SerializableString CONTENT_TYPE = new SerializedString("datacontenttype");
    private static final SerializableString DATA = new SerializedString("data");

    private StatusEvents() {
    }

    /** The CloudEvent of {@code status}, as {@code CloudEventSerializer.encode(WA_STATUS, id, source, time, subject, status)}. */
    static byte[] encode(String id, String source, Instant time, String subject, WaStatus status) {
        ByteArrayBuilder out = new ByteArrayBuilder(640);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName(SPECVERSION);
            g.writeString(CloudEvent.SPEC_VERSION);
            optional(g, ID, id);
            g.writeFieldName(TYPE_FIELD);
            g.writeString(TYPE);
            optional(g, SOURCE, source);
            // the event's time is the status' own timestamp (WhatsAppWebhookReader): formatted once for both
            String iso = time == null ? null : time.toString();
            if (iso != null) {
                g.writeFieldName(TIME);
                g.writeString(iso);
            }
            optional(g, SUBJECT, subject);
            g.writeFieldName(CONTENT_TYPE);
            g.writeString("application/json");
            g.writeFieldName(DATA);
            data(g, status, time, iso);
            g.writeEndObject();
        } catch (IOException e) {
            throw new SerializationException("cannot serialise event " + id + " for " + Topics.WA_STATUS, e);
        }
        return out.toByteArray();
    }

    /** The record's components in order, nulls written (events' default inclusion). */
    private static void data(JsonGenerator g, WaStatus s, Instant time, String iso) throws IOException {
        g.writeStartObject();
        g.writeStringField("wamid", s.wamid());
        g.writeStringField("status", s.status());
        g.writeFieldName("timestamp");
        if (s.timestamp() == null) {
            g.writeNull();
        } else {
            g.writeString(s.timestamp().equals(time) ? iso : s.timestamp().toString());
        }
        g.writeStringField("businessPhoneNumberId", s.businessPhoneNumberId());
        g.writeStringField("recipientType", s.recipientType());
        g.writeStringField("conversationId", s.conversationId());
        g.writeStringField("conversationOrigin", s.conversationOrigin());
        g.writeStringField("pricingCategory", s.pricingCategory());
        g.writeStringField("pricingType", s.pricingType());
        g.writeStringField("pricingModel", s.pricingModel());
        g.writeFieldName("billable");
        if (s.billable() == null) {
            g.writeNull();
        } else {
            g.writeBoolean(s.billable());
        }
        g.writeStringField("bizOpaqueCallbackData", s.bizOpaqueCallbackData());
        g.writeFieldName("errors");
        if (s.errors() == null) {
            g.writeNull();
        } else {
            g.writeStartArray();
            for (WaError e : s.errors()) {
                g.writeStartObject();
                g.writeNumberField("code", e.code());
                g.writeStringField("title", e.title());
                g.writeStringField("details", e.details());
                g.writeStringField("href", e.href());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeStringField("recipientCountry", s.recipientCountry());
        g.writeEndObject();
    }

    private static void optional(JsonGenerator g, SerializableString field, String value) throws IOException {
        if (value != null) {
            g.writeFieldName(field);
            g.writeString(value);
        }
    }
}
