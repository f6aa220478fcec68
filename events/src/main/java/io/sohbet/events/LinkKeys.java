package io.sohbet.events;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The keys of tracked-link tokens, by key id: the current one signs new tokens, every configured one verifies, so a
 * key can be rotated without breaking the links already sent. The single secret of before key ids ({@code LINK_SECRET})
 * is key {@value #LEGACY_ID}; it is also the only key that verifies version-1 tokens.
 */
public final class LinkKeys {

    /** The key id of {@code LINK_SECRET}, the one secret of version-1 tokens. */
    public static final String LEGACY_ID = "0";

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,16}");
    private static final int MIN_SECRET_BYTES = 16;

    private final String currentId;
    private final Map<String, Hmac> macs = new LinkedHashMap<>();

    /** {@code secrets}: key id → secret (at least 16 bytes); {@code currentId} must be one of them. */
    public LinkKeys(String currentId, Map<String, byte[]> secrets) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("no tracked-link key is configured (LINK_SECRET or LINK_SECRETS)");
        }
        secrets.forEach((id, secret) -> {
            if (id == null || !ID.matcher(id).matches()) {
                throw new IllegalArgumentException("a tracked-link key id is 1-16 of A-Z a-z 0-9 _ -, not '" + id + "'");
            }
            if (secret == null || secret.length < MIN_SECRET_BYTES) {
                throw new IllegalArgumentException("the tracked-link secret of key '" + id + "' must have at least 16 bytes");
            }
            macs.put(id, new Hmac(secret));
        });
        if (!macs.containsKey(currentId)) {
            throw new IllegalArgumentException("the current tracked-link key id '" + currentId + "' has no secret");
        }
        this.currentId = currentId;
    }

    /**
     * The keys as configured: {@code legacySecret} ({@code LINK_SECRET}) is key {@value #LEGACY_ID}; {@code entries}
     * ({@code LINK_SECRETS}) are {@code id:secret}; secrets are used as their UTF-8 bytes. A key id given twice is an error.
     */
    public static LinkKeys of(String currentId, Optional<String> legacySecret, List<String> entries) {
        Map<String, byte[]> secrets = new LinkedHashMap<>();
        legacySecret.filter(s -> !s.isEmpty()).ifPresent(s -> secrets.put(LEGACY_ID, s.getBytes(StandardCharsets.UTF_8)));
        for (String entry : entries) {
            int colon = entry.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("tracked-link keys are written id:secret,id:secret");
            }
            String id = entry.substring(0, colon).trim();
            if (secrets.put(id, entry.substring(colon + 1).getBytes(StandardCharsets.UTF_8)) != null) {
                throw new IllegalArgumentException("the tracked-link key id '" + id + "' is configured twice"
                        + (id.equals(LEGACY_ID) ? " (LINK_SECRET is key " + LEGACY_ID + ")" : ""));
            }
        }
        return new LinkKeys(currentId, secrets);
    }

    /** The key that signs new tokens. */
    public String currentId() {
        return currentId;
    }

    /** Every configured key id, the current one included. */
    public Set<String> ids() {
        return Collections.unmodifiableSet(macs.keySet());
    }

    /** HMAC-SHA256 of {@code data} with key {@code id}, or empty when no such key is configured. */
    Optional<byte[]> mac(String id, byte[] data) {
        Hmac hmac = macs.get(id);
        return hmac == null ? Optional.empty() : Optional.of(hmac.of(data));
    }

}
