package io.sohbet.events;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * What Sohbet keeps and publishes instead of a shop's own ids (shop event, order and cart ids). A shop's order id
 * points straight at the order in the shop's database, and so at the customer's name, address and phone number: it
 * is never kept or sent on in clear. webhook-service replaces each id the moment a shop webhook arrives by
 * {@code sid_ + base64url(first 18 bytes of HMAC-SHA256(key, "shop\0" + id))} (28 characters), with the same key as
 * {@link MessageIds} (a secret of its own, not the subject-id pepper) and a domain prefix of its own, so a shop id and
 * a message id never hash alike. The same order gets the same id in every event (an order's cancellation still finds
 * it); without the key a stored id cannot be traced back to the shop's order.
 *
 * <p>{@link #of} leaves an id that already is one ({@code sid_…}) as it is, so consumers can pass every id they store
 * through it: records published before the hashing (and rows written before it, see the services' Flyway
 * migrations) end up with the very value a new record carries. Where ids arrive from the shop itself (webhook-service),
 * {@link #hash} is used instead: it hashes every id, so a shop's own id that happens to start with {@code sid_} is not
 * kept in clear. Thread-safe.
 */
public final class ShopIds {

    /** Every hashed shop id starts with this. */
    public static final String PREFIX = "sid_";
    /** The event-id kind of shop events: {@code commerce:<shop event id>}. */
    public static final String EVENT_KIND = "commerce:";
    private static final byte[] DOMAIN = "shop\0".getBytes(StandardCharsets.UTF_8);
    private static final int MIN_KEY_BYTES = 16;
    private static final int HASH_BYTES = 18;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final Hmac hmac;

    public ShopIds(byte[] key) {
        if (key == null || key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("the shop-id key must have at least " + MIN_KEY_BYTES + " bytes");
        }
        this.hmac = new Hmac(key);
    }

    /** The key as configured (a string of at least 16 bytes in UTF-8; the message-id key). */
    public static ShopIds withKey(String key) {
        return new ShopIds(key == null ? null : key.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The hashed id of a stored or published id; {@code null} and blank stay as they are, and so does an id already
     * hashed. For consumers only: an id that arrives from the shop goes through {@link #hash}.
     */
    public String of(String shopId) {
        return isHashed(shopId) ? shopId : hash(shopId);
    }

    /**
     * The hashed id of an id as the shop sent it, whatever it looks like (also one starting with {@code sid_});
     * {@code null} and blank stay as they are.
     */
    public String hash(String shopId) {
        if (shopId == null || shopId.isBlank()) {
            return shopId;
        }
        byte[] id = shopId.getBytes(StandardCharsets.UTF_8);
        byte[] message = Arrays.copyOf(DOMAIN, DOMAIN.length + id.length);
        System.arraycopy(id, 0, message, DOMAIN.length, id.length);
        return PREFIX + ENCODER.encodeToString(Arrays.copyOf(hmac.of(message), HASH_BYTES));
    }

    /** {@code commerce:<shop event id>} with the shop event id hashed; other event ids come back unchanged. */
    public String inEventId(String eventId) {
        return eventId != null && eventId.startsWith(EVENT_KIND) ? EVENT_KIND + of(eventId.substring(EVENT_KIND.length())) : eventId;
    }

    /** Whether {@code id} is a hashed shop id (and not a clear one). */
    public static boolean isHashed(String id) {
        return id != null && id.startsWith(PREFIX);
    }
}
