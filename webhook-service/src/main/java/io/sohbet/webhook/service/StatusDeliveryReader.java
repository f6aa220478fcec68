package io.sohbet.webhook.service;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a delivery that holds statuses and nothing else (most of the traffic: a campaign's sent, delivered and read)
 * in one streaming pass over the bytes, without building a tree: every {@code entry[]}, every {@code changes[]} of
 * field {@code messages}, every {@code statuses[]} item, as {@link StatusItem}s. Whatever it is not sure to read as
 * {@link WhatsAppWebhookReader} reads the tree gives {@code null}, and the delivery goes the whole way (tree, reader,
 * its error answers): invalid JSON, trailing tokens, another {@code object}, another field, {@code messages},
 * {@code contacts} or {@code errors} in a value, a status with errors, a BSUID or a group participant, a value of an
 * unexpected type, a key given twice. Unknown keys are skipped, as the tree reader ignores them. The parser has the
 * limits of {@link WebhookJson} (nesting depth 64).
 */
public final class StatusDeliveryReader {

    private static final JsonFactory FACTORY = WebhookJson.mapper().getFactory();

    /** A status with what its change and entry say about it. */
    public record Item(StatusItem status, String phoneNumberId, String wabaId) {
    }

    /** Not a delivery of statuses only, or not one this reader is sure to read right: the tree decides. */
    private static final class Unfit extends RuntimeException {
        private static final Unfit INSTANCE = new Unfit();

        private Unfit() {
            super(null, null, false, false);
        }
    }

    private StatusDeliveryReader() {
    }

    /** The statuses of {@code body} in document order, or {@code null} when it is not (sure to be) a delivery of only them. */
    public static List<Item> read(byte[] body) {
        try (JsonParser p = FACTORY.createParser(body)) {
            List<Item> items = root(p);
            return p.nextToken() == null ? items : null;
        } catch (IOException | RuntimeException unfit) {
            return null; // not valid JSON, beyond the limits, or unfit: the tree decides and answers
        }
    }

    private static List<Item> root(JsonParser p) throws IOException {
        expect(p.nextToken(), JsonToken.START_OBJECT);
        List<Item> items = new ArrayList<>(8);
        int seen = 0;
        boolean object = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "object" -> {
                    seen = once(seen, 1);
                    object = WhatsAppWebhookReader.OBJECT.equals(text(p, value));
                }
                case "entry" -> {
                    seen = once(seen, 2);
                    expect(value, JsonToken.START_ARRAY);
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        entry(p, items);
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (!object) {
            throw Unfit.INSTANCE;
        }
        return items;
    }

    private static void entry(JsonParser p, List<Item> items) throws IOException {
        expect(p.currentToken(), JsonToken.START_OBJECT);
        List<Pending> statuses = new ArrayList<>(8);
        String wabaId = null;
        int seen = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "id" -> {
                    seen = once(seen, 1);
                    wabaId = text(p, value);
                }
                case "changes" -> {
                    seen = once(seen, 2);
                    expect(value, JsonToken.START_ARRAY);
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        change(p, statuses);
                    }
                }
                default -> p.skipChildren();
            }
        }
        for (Pending status : statuses) {
            items.add(new Item(status.status, status.phoneNumberId, wabaId));
        }
    }

    private record Pending(StatusItem status, String phoneNumberId) {
    }

    private static void change(JsonParser p, List<Pending> entry) throws IOException {
        expect(p.currentToken(), JsonToken.START_OBJECT);
        List<StatusItem> statuses = List.of();
        String phoneNumberId = null;
        String field = null;
        int seen = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "field" -> {
                    seen = once(seen, 1);
                    field = text(p, value);
                }
                case "value" -> {
                    seen = once(seen, 2);
                    expect(value, JsonToken.START_OBJECT);
                    statuses = new ArrayList<>(8);
                    phoneNumberId = value(p, statuses);
                }
                default -> p.skipChildren();
            }
        }
        if (!"messages".equals(field)) {
            throw Unfit.INSTANCE;
        }
        for (StatusItem status : statuses) {
            entry.add(new Pending(status, phoneNumberId));
        }
    }

    /** Reads a change's value into {@code statuses}; its {@code metadata.phone_number_id}. */
    private static String value(JsonParser p, List<StatusItem> statuses) throws IOException {
        String phoneNumberId = null;
        int seen = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "metadata" -> {
                    seen = once(seen, 1);
                    expect(value, JsonToken.START_OBJECT);
                    int inner = 0;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String key = p.currentName();
                        JsonToken v = p.nextToken();
                        if ("phone_number_id".equals(key)) {
                            inner = once(inner, 1);
                            phoneNumberId = text(p, v);
                        } else {
                            p.skipChildren();
                        }
                    }
                }
                case "statuses" -> {
                    seen = once(seen, 2);
                    expect(value, JsonToken.START_ARRAY);
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        statuses.add(status(p));
                    }
                }
                case "messages", "contacts", "errors" -> throw Unfit.INSTANCE;
                default -> p.skipChildren();
            }
        }
        return phoneNumberId;
    }

    private static StatusItem status(JsonParser p) throws IOException {
        expect(p.currentToken(), JsonToken.START_OBJECT);
        String id = null;
        String status = null;
        String timestamp = null;
        String recipientType = null;
        String recipientId = null;
        String conversationId = null;
        String origin = null;
        String category = null;
        String type = null;
        String model = null;
        Boolean billable = null;
        String opaque = null;
        int seen = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "id" -> {
                    seen = once(seen, 1);
                    id = text(p, value);
                }
                case "status" -> {
                    seen = once(seen, 1 << 1);
                    status = text(p, value);
                }
                case "timestamp" -> {
                    seen = once(seen, 1 << 2);
                    // Meta sends a string, sometimes a number: an integer's text parses as the tree's (epochSeconds)
                    timestamp = value == JsonToken.VALUE_NUMBER_INT ? p.getText() : text(p, value);
                }
                case "recipient_type" -> {
                    seen = once(seen, 1 << 3);
                    recipientType = text(p, value);
                }
                case "recipient_id" -> {
                    seen = once(seen, 1 << 4);
                    recipientId = text(p, value);
                }
                case "biz_opaque_callback_data" -> {
                    seen = once(seen, 1 << 5);
                    opaque = text(p, value);
                }
                case "conversation" -> {
                    seen = once(seen, 1 << 6);
                    expect(value, JsonToken.START_OBJECT);
                    int inner = 0;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String key = p.currentName();
                        JsonToken v = p.nextToken();
                        if ("id".equals(key)) {
                            inner = once(inner, 1);
                            conversationId = text(p, v);
                        } else if ("origin".equals(key)) {
                            inner = once(inner, 2);
                            origin = originType(p, v);
                        } else {
                            p.skipChildren();
                        }
                    }
                }
                case "pricing" -> {
                    seen = once(seen, 1 << 7);
                    expect(value, JsonToken.START_OBJECT);
                    int inner = 0;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String key = p.currentName();
                        JsonToken v = p.nextToken();
                        switch (key) {
                            case "category" -> {
                                inner = once(inner, 1);
                                category = text(p, v);
                            }
                            case "type" -> {
                                inner = once(inner, 2);
                                type = text(p, v);
                            }
                            case "pricing_model" -> {
                                inner = once(inner, 4);
                                model = text(p, v);
                            }
                            case "billable" -> {
                                inner = once(inner, 8);
                                billable = switch (v) {
                                    case VALUE_TRUE -> Boolean.TRUE;
                                    case VALUE_FALSE, VALUE_NULL -> Boolean.FALSE; // the tree's asBoolean()
                                    default -> throw Unfit.INSTANCE;
                                };
                            }
                            default -> p.skipChildren();
                        }
                    }
                }
                // a BSUID, a group's participant, errors: the tree reader's way
                case "recipient_user_id", "recipient_participant_id", "recipient_participant_user_id", "errors" ->
                        throw Unfit.INSTANCE;
                default -> p.skipChildren();
            }
        }
        return new StatusItem(id, status, timestamp, recipientType, recipientId, null, null, null, conversationId, origin,
                category, type, model, billable, opaque, List.of());
    }

    private static String originType(JsonParser p, JsonToken value) throws IOException {
        expect(value, JsonToken.START_OBJECT);
        String type = null;
        int seen = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            if ("type".equals(key)) {
                seen = once(seen, 1);
                type = text(p, v);
            } else {
                p.skipChildren();
            }
        }
        return type;
    }

    /** A text as {@link Json#text} reads it from the tree: a string ({@code ""} is none) or {@code null}; else unfit. */
    private static String text(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            String text = p.getText();
            return text.isEmpty() ? null : text;
        }
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        throw Unfit.INSTANCE;
    }

    private static void expect(JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw Unfit.INSTANCE;
        }
    }

    /** A key given twice (the tree keeps the last one): unfit. */
    private static int once(int seen, int bit) {
        if ((seen & bit) != 0) {
            throw Unfit.INSTANCE;
        }
        return seen | bit;
    }
}
