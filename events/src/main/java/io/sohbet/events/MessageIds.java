package io.sohbet.events;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * What Sohbet keeps and publishes instead of a WhatsApp message id. A Cloud API message id ({@code wamid.HBgM…}) is
 * base64 around a small record that holds the customer's phone number, so it is never kept or sent on in clear:
 * webhook-service and campaign-service replace it the moment it arrives by
 * {@code mid_ + base64url(first 18 bytes of HMAC-SHA256(message-id key, id))} (28 characters). The key is a secret
 * of its own (not the subject-id pepper), shared by the services that see clear ids, so the same message gets the
 * same id everywhere and joins (status → message, reply context → campaign message) keep working; without the key a
 * stored id cannot be traced back to a message, a number or a person.
 *
 * <p>{@link #of} leaves an id that already is one ({@code mid_…}) as it is, so consumers can pass every id they
 * store through it: records published before the hashing (and rows written before it, see the services' Flyway
 * migrations) end up with the very value a new record carries. Instances are thread-safe.
 */
public final class MessageIds {

    /** Every hashed message id starts with this. */
    public static final String PREFIX = "mid_";
    /** The event-id kinds ({@code <kind>:…}) that carry a message id, per docs/contracts.md. */
    private static final List<String> EVENT_KINDS_WITH_MESSAGE_ID = List.of("wa.inbound:", "wa.status:", "campaign.message:");
    private static final String CONTACT_EVENT = "wa.contact:";
    private static final int MIN_KEY_BYTES = 16;
    private static final int HASH_BYTES = 18;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final Hmac hmac;

    public MessageIds(byte[] key) {
        if (key == null || key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("the message-id key must have at least " + MIN_KEY_BYTES + " bytes");
        }
        this.hmac = new Hmac(key);
    }

    /** The key as configured (a string of at least 16 bytes in UTF-8). */
    public static MessageIds withKey(String key) {
        return new MessageIds(key == null ? null : key.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The hashed id of a message id ({@code wamid.…}, a context id, a reaction's or an edit's target, or an older
     * id format); {@code null} and blank stay as they are, and so does an id that is already hashed.
     */
    public String of(String messageId) {
        if (messageId == null || messageId.isBlank() || isHashed(messageId)) {
            return messageId;
        }
        byte[] digest = hmac.of(messageId.getBytes(StandardCharsets.UTF_8));
        return PREFIX + ENCODER.encodeToString(Arrays.copyOf(digest, HASH_BYTES));
    }

    /** Whether {@code id} is a hashed message id (and not a clear one). */
    public static boolean isHashed(String id) {
        return id != null && id.startsWith(PREFIX);
    }

    /**
     * An event id with its message id hashed: {@code wa.inbound:<id>}, {@code wa.status:<id>:<status>:<epoch>},
     * {@code campaign.message:<id>} and {@code wa.contact:<subject>:<id>}. Other event ids, and ids already hashed,
     * come back unchanged.
     */
    public String inEventId(String eventId) {
        if (eventId == null) {
            return null;
        }
        for (String kind : EVENT_KINDS_WITH_MESSAGE_ID) {
            if (eventId.startsWith(kind)) {
                String rest = eventId.substring(kind.length());
                if (kind.equals("wa.status:")) {
                    // <id>:<status>:<epoch>: a message id has no ':' (base64), the status and the epoch neither
                    int epoch = rest.lastIndexOf(':');
                    int status = epoch <= 0 ? -1 : rest.lastIndexOf(':', epoch - 1);
                    return status <= 0 ? eventId : kind + of(rest.substring(0, status)) + rest.substring(status);
                }
                return kind + of(rest);
            }
        }
        if (eventId.startsWith(CONTACT_EVENT)) {
            int id = eventId.indexOf(':', CONTACT_EVENT.length());
            return id < 0 ? eventId : eventId.substring(0, id + 1) + of(eventId.substring(id + 1));
        }
        return eventId;
    }

}
