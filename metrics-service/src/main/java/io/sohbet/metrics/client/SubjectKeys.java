package io.sohbet.metrics.client;

import io.smallrye.mutiny.Uni;
import io.sohbet.kit.ServiceTokens;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Subjects' data keys from consent-service's vault, to open the text of replies for feedback insights. Held briefly
 * in memory (a small map cleared every few minutes and on erasure); never stored or logged.
 */
@ApplicationScoped
public class SubjectKeys {

    private static final int MAX = 10_000;
    private static final Duration TTL = Duration.ofMinutes(5);

    private final SubjectKeyApi vault;
    private final ServiceTokens tokens;
    private final ConcurrentHashMap<String, byte[]> cache = new ConcurrentHashMap<>();
    private volatile long clearedAt = System.nanoTime();

    public SubjectKeys(@RestClient SubjectKeyApi vault, ServiceTokens tokens) {
        this.vault = vault;
        this.tokens = tokens;
    }

    public Uni<byte[]> keyOf(String subject) {
        if (System.nanoTime() - clearedAt > TTL.toNanos() || cache.size() > MAX) {
            cache.clear();
            clearedAt = System.nanoTime();
        }
        byte[] cached = cache.get(subject);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return tokens.authorization().flatMap(bearer -> vault.getOrCreate(bearer, new SubjectKeyApi.KeyRequest(Set.of(subject))))
                .map(batch -> {
                    byte[] key = Base64.getDecoder().decode(batch.keys().get(subject));
                    cache.put(subject, key);
                    return key;
                });
    }

    public void forget(String subject) {
        cache.remove(subject);
    }
}
