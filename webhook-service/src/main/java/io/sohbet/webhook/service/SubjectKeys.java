package io.sohbet.webhook.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smallrye.mutiny.Uni;
import io.sohbet.events.FieldCipher;
import io.sohbet.kit.ServiceTokens;
import io.sohbet.webhook.client.SubjectKeyApi;
import io.sohbet.webhook.config.WebhookConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Data keys of subjects, from consent-service's vault, kept briefly in memory (they change only by erasure, which
 * evicts them here too). A webhook that needs keys waits for them; if the vault cannot answer, the webhook is
 * answered 503 and Meta retries: nothing personal is ever published unencrypted.
 */
@ApplicationScoped
public class SubjectKeys {

    private final SubjectKeyApi vault;
    private final ServiceTokens tokens;
    private final Cache<String, byte[]> cache;

    public SubjectKeys(@RestClient SubjectKeyApi vault, ServiceTokens tokens, WebhookConfig config) {
        this.vault = vault;
        this.tokens = tokens;
        this.cache = Caffeine.newBuilder().maximumSize(config.keyCache().size())
                .expireAfterWrite(config.keyCache().ttl()).build();
    }

    /** A sealer that can encrypt for every subject in {@code subjects}. */
    public Uni<Sealer> sealerFor(Set<String> subjects) {
        Map<String, byte[]> keys = new HashMap<>(cache.getAllPresent(subjects));
        Set<String> missing = new HashSet<>(subjects);
        missing.removeAll(keys.keySet());
        if (missing.isEmpty()) {
            return Uni.createFrom().item(sealer(keys));
        }
        return tokens.authorization()
                .flatMap(bearer -> vault.getOrCreate(bearer, new SubjectKeyApi.KeyRequest(missing)))
                .map(batch -> {
                    batch.keys().forEach((subject, key) -> {
                        byte[] raw = Base64.getDecoder().decode(key);
                        cache.put(subject, raw);
                        keys.put(subject, raw);
                    });
                    return sealer(keys);
                });
    }

    /** Forgets a subject's key (after erasure, a new one will be created if the person comes back). */
    public void evict(String subjectId) {
        cache.invalidate(subjectId);
    }

    private static Sealer sealer(Map<String, byte[]> keys) {
        return (subject, plaintext) -> {
            if (plaintext == null || plaintext.isEmpty() || subject == null) {
                return null;
            }
            byte[] key = keys.get(subject);
            if (key == null) {
                throw new IllegalStateException("no data key for a subject of this webhook");
            }
            return FieldCipher.encrypt(key, subject, plaintext);
        };
    }
}
