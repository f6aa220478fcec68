package io.sohbet.kit.keys;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smallrye.mutiny.Uni;
import io.sohbet.kit.ServiceTokens;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Subjects' data keys from consent-service's vault, held briefly in memory and never stored or logged. Readers use
 * {@link #find}: a subject without a key (erased) stays without one, so a late event about an erased person opens
 * nothing and creates no key. Only ingestion of new data uses {@link #getOrCreate}.
 *
 * <p>Every cached key is dropped at the latest {@code sohbet.subject-keys.cache-ttl} (1 minute) after it was fetched,
 * on every replica; the vault destroys a key before it announces the erasure, so a participant that waits that long
 * after an erasure before acknowledging it ({@link ErasureAcknowledgement}) knows that no replica still holds the key.
 */
@ApplicationScoped
public class SubjectKeys {

    private final SubjectKeyApi vault;
    private final ServiceTokens tokens;
    private final Duration ttl;
    private final Cache<String, byte[]> cache;
    /** Subjects {@code find} found without a key: when they were erased, or empty when they never were. */
    private final Cache<String, Optional<Instant>> withoutKey;

    public SubjectKeys(@RestClient SubjectKeyApi vault, ServiceTokens tokens,
            @ConfigProperty(name = "sohbet.subject-keys.cache-size", defaultValue = "100000") long size,
            @ConfigProperty(name = "sohbet.subject-keys.cache-ttl", defaultValue = "60s") Duration ttl) {
        this.vault = vault;
        this.tokens = tokens;
        this.ttl = ttl;
        this.cache = Caffeine.newBuilder().maximumSize(size).expireAfterWrite(ttl).build();
        this.withoutKey = Caffeine.newBuilder().maximumSize(size).expireAfterWrite(ttl).build();
    }

    /**
     * Which of {@code subjects} were erased, and when (their latest erasure; absent: never erased, or erased and back
     * with a new key since). From the same cache and calls as {@link #find}.
     */
    public Uni<Map<String, Instant>> erasures(Set<String> subjects) {
        Set<String> unknown = new HashSet<>(subjects);
        unknown.removeAll(cache.getAllPresent(subjects).keySet());
        Map<String, Optional<Instant>> known = withoutKey.getAllPresent(unknown);
        unknown.removeAll(known.keySet());
        Uni<Void> looked = unknown.isEmpty() ? Uni.createFrom().voidItem() : fetch(unknown, false).replaceWithVoid();
        return looked.map(done -> {
            Map<String, Instant> erased = new HashMap<>();
            withoutKey.getAllPresent(subjects).forEach((subject, at) -> at.ifPresent(instant -> erased.put(subject, instant)));
            return erased;
        });
    }

    /** The keys that exist for {@code subjects}; erased subjects are absent. */
    public Uni<Map<String, byte[]>> find(Set<String> subjects) {
        return fetch(subjects, false);
    }

    /** The key of one subject, if it has one. */
    public Uni<Optional<byte[]>> find(String subject) {
        return find(Set.of(subject)).map(keys -> Optional.ofNullable(keys.get(subject)));
    }

    /** The keys of {@code subjects}, created where there is none: for data being ingested now, never for a reader. */
    public Uni<Map<String, byte[]>> getOrCreate(Set<String> subjects) {
        return fetch(subjects, true);
    }

    /** Drops this replica's copy of a subject's key at once (every replica's copy expires after {@link #cacheTtl}). */
    public void evict(String subject) {
        cache.invalidate(subject);
        withoutKey.invalidate(subject);
    }

    /** How long a key may stay cached on any replica. */
    public Duration cacheTtl() {
        return ttl;
    }

    private Uni<Map<String, byte[]>> fetch(Set<String> subjects, boolean create) {
        Map<String, byte[]> keys = new HashMap<>(cache.getAllPresent(subjects));
        Set<String> missing = new HashSet<>(subjects);
        missing.removeAll(keys.keySet());
        if (missing.isEmpty()) {
            return Uni.createFrom().item(keys);
        }
        SubjectKeyApi.KeyRequest request = new SubjectKeyApi.KeyRequest(missing);
        return tokens.authorization()
                .flatMap(bearer -> create ? vault.getOrCreate(bearer, request) : vault.find(bearer, request))
                .map(batch -> {
                    batch.keys().forEach((subject, key) -> {
                        if (missing.contains(subject)) {
                            byte[] raw = Base64.getDecoder().decode(key);
                            cache.put(subject, raw);
                            withoutKey.invalidate(subject);
                            keys.put(subject, raw);
                        }
                    });
                    if (!create) {
                        Map<String, Instant> erased = batch.erased() == null ? Map.of() : batch.erased();
                        for (String subject : missing) {
                            if (!batch.keys().containsKey(subject)) {
                                withoutKey.put(subject, Optional.ofNullable(erased.get(subject)));
                            }
                        }
                    }
                    return keys;
                });
    }
}
