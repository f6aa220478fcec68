package io.sohbet.consent.service;

import io.sohbet.consent.config.ConsentConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The audit keys: the current one keys new entries and the subjects they name, earlier ones (after a rotation) still
 * verify the entries keyed with them. None of them is in the database. Each use is domain-separated ({@code
 * audit-entry}, {@code audit-subject}), so a subject's keyed hash can never pass for an entry's HMAC.
 */
@ApplicationScoped
public class AuditKeys {

    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final int MIN_KEY_BYTES = 32;
    /** Bytes of HMAC kept in a subject's keyed hash: 128 bits, base64url (22 characters). */
    private static final int SUBJECT_REF_BYTES = 16;

    private final String activeId;
    private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();

    @Inject
    public AuditKeys(ConsentConfig config) {
        this(config.audit().hmacKeyId(), config.audit().hmacKey(), config.audit().previousHmacKeys().orElse(List.of()));
    }

    /** @param previous earlier keys as {@code id:base64} */
    public AuditKeys(String activeId, String activeKey, List<String> previous) {
        this.activeId = checkedId(activeId);
        keys.put(activeId, decode(activeId, activeKey));
        for (String entry : previous) {
            int colon = entry.indexOf(':');
            if (colon < 1) {
                throw new IllegalArgumentException("previous audit keys are written id:base64");
            }
            String id = checkedId(entry.substring(0, colon).strip());
            keys.putIfAbsent(id, decode(id, entry.substring(colon + 1)));
        }
    }

    /** The id of the key that keys new entries. */
    public String activeId() {
        return activeId;
    }

    public boolean knows(String keyId) {
        return keyId != null && keys.containsKey(keyId);
    }

    /**
     * Hex HMAC-SHA256 under key {@code keyId} over the fields, each length-prefixed (so no two field lists collide; a
     * null field differs from an empty one).
     */
    public String entryMac(String keyId, List<String> fields) {
        Mac mac = mac(keyId, "audit-entry");
        for (String field : fields) {
            if (field == null) {
                mac.update("-1:".getBytes(StandardCharsets.US_ASCII));
                continue;
            }
            byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
            mac.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
            mac.update(bytes);
        }
        return HexFormat.of().formatHex(mac.doFinal());
    }

    /** The keyed hash of a subject id under key {@code keyId}, as entries name the subjects they handed out. */
    public String subjectRef(String keyId, String subjectId) {
        return subjectRefs(keyId, List.of(subjectId)).get(0);
    }

    /** The keyed hashes of subject ids under key {@code keyId}, sorted (an entry's list says nothing about order). */
    public List<String> subjectRefs(String keyId, Collection<String> subjectIds) {
        Mac mac = mac(keyId, null);
        List<String> refs = new ArrayList<>(subjectIds.size());
        for (String subject : subjectIds) {
            mac.update(("audit-subject\0" + subject).getBytes(StandardCharsets.UTF_8));
            refs.add(Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(mac.doFinal(), SUBJECT_REF_BYTES)));
        }
        refs.sort(null);
        return refs;
    }

    /** The subject's keyed hashes under every known key, to find the entries of any key that name it. */
    public List<String> subjectRefsUnderEveryKey(String subjectId) {
        List<String> refs = new ArrayList<>();
        for (String id : keys.keySet()) {
            refs.add(subjectRef(id, subjectId));
        }
        return refs;
    }

    private Mac mac(String keyId, String domain) {
        SecretKeySpec key = keys.get(keyId);
        if (key == null) {
            throw new IllegalArgumentException("no audit key " + keyId);
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            if (domain != null) {
                mac.update((domain + "\0").getBytes(StandardCharsets.US_ASCII));
            }
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    private static String checkedId(String id) {
        if (id == null || !KEY_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("an audit key id is 1-32 of A-Z a-z 0-9 _ -");
        }
        return id;
    }

    private static SecretKeySpec decode(String id, String base64) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("audit key " + id + " is not base64");
        }
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("audit key " + id + " has " + key.length + " bytes, at least "
                    + MIN_KEY_BYTES + " are needed");
        }
        return new SecretKeySpec(key, "HmacSHA256");
    }
}
