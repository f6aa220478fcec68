package io.sohbet.consent.service;

import io.sohbet.consent.config.ConsentConfig;
import io.sohbet.events.FieldCipher;

import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The master keys that wrap subjects' data keys (AES-256-GCM, bound to the subject id), by id: the active one wraps
 * every new key; previous ones still unwrap and are re-wrapped away from ({@link DataKeyRewrap}); next ones (about to
 * become active on every replica, the first step of a rotation) unwrap but are neither used to wrap nor re-wrapped
 * away from, so a replica that does not use a new key yet never undoes the work of one that does.
 */
public final class MasterKeys {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,40}");

    private final String activeId;
    private final Map<String, byte[]> keys = new HashMap<>();
    private final Set<String> previous = new LinkedHashSet<>();

    /** {@code previous} and {@code next} are written {@code id:base64} each. */
    public MasterKeys(String activeId, String activeBase64, List<String> previous, List<String> next) {
        this.activeId = id(activeId);
        keys.put(activeId, decode(activeBase64));
        Set<String> upcoming = new LinkedHashSet<>();
        add(next, upcoming, "next");
        add(previous, this.previous, "previous");
        for (String id : this.previous) {
            if (upcoming.contains(id)) {
                throw new IllegalArgumentException("master key '" + id + "' is given both as a previous and as a next key");
            }
        }
        this.previous.remove(activeId);
    }

    public static MasterKeys of(ConsentConfig config) {
        return new MasterKeys(config.masterKeyId(), config.masterKey(), config.previousMasterKeys().orElse(List.of()),
                config.nextMasterKeys().orElse(List.of()));
    }

    /** The id of the key that wraps new data keys. */
    public String activeId() {
        return activeId;
    }

    /** The ids of the previous keys: the data keys they wrap are re-wrapped to the active one. */
    public Set<String> previous() {
        return Set.copyOf(previous);
    }

    /** Whether a key of this id is configured (active, previous or next). */
    public boolean knows(String id) {
        return keys.containsKey(id);
    }

    /** A data key wrapped by the active master key. */
    public String wrap(String subject, byte[] dataKey) {
        return FieldCipher.encrypt(keys.get(activeId), subject, Base64.getEncoder().encodeToString(dataKey));
    }

    /** The data key that {@code wrapped} holds; an {@link IllegalStateException} when its master key is not configured. */
    public byte[] unwrap(String subject, String masterKeyId, String wrapped) {
        byte[] master = keys.get(masterKeyId);
        if (master == null) {
            throw new IllegalStateException("a data key is wrapped by master key '" + masterKeyId + "', which is not configured");
        }
        return Base64.getDecoder().decode(FieldCipher.decrypt(master, subject, wrapped));
    }

    /** The same data key, wrapped by the active master key instead of {@code masterKeyId}. */
    public String rewrap(String subject, String masterKeyId, String wrapped) {
        byte[] dataKey = unwrap(subject, masterKeyId, wrapped);
        try {
            return wrap(subject, dataKey);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    private void add(List<String> entries, Set<String> ids, String kind) {
        for (String entry : entries) {
            int colon = entry.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(kind + " master keys are written id:base64");
            }
            String id = id(entry.substring(0, colon).strip());
            byte[] key = decode(entry.substring(colon + 1));
            byte[] known = keys.putIfAbsent(id, key);
            if (known != null && !Arrays.equals(known, key)) {
                throw new IllegalArgumentException("master key '" + id + "' is given twice with different keys");
            }
            ids.add(id);
        }
    }

    private static String id(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("a master key id is 1 to 40 of A-Z a-z 0-9 _ -");
        }
        return id;
    }

    private static byte[] decode(String base64) {
        byte[] key = Base64.getDecoder().decode(base64.strip());
        if (key.length != FieldCipher.KEY_BYTES) {
            throw new IllegalArgumentException("a master key is " + FieldCipher.KEY_BYTES + " bytes, base64-encoded");
        }
        return key;
    }
}
