package io.sohbet.kit.keys;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.sohbet.kit.ServiceTokens;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Subjects' data keys from consent-service's vault, held briefly in memory and never stored or logged. Readers use
 * {@link #find}: a subject without a key (erased) stays without one, so a late event about an erased person opens
 * nothing and creates no key. Only ingestion of new data uses {@link #getOrCreate}.
 *
 * <p>Every cached key is dropped at the latest {@code sohbet.subject-keys.cache-ttl} (20 s) after it was fetched, on
 * every replica; the vault's erasure commits the key's deletion before the request is published, so a participant
 * that waits that long after it consumed the request ({@link ErasureAcknowledgement}) knows that no replica still
 * holds the key. {@link #erasures} also says when a subject was last erased, for {@link ErasedSubjects}.
 */
@ApplicationScoped
public class SubjectKeys {

    private final SubjectKeyApi vault;
    private final ServiceTokens tokens;
    private final Duration ttl;
    /** consent-service answers at most this many subjects per call. */
    static final int MAX_PER_CALL = 1000;
    private final Cache<String, byte[]> cache;
    /** What {@code find} said about erasures: the latest one (if any) and whether the subject has a key again. */
    private final Cache<String, ErasureInfo> erasureInfo;

    /** A subject's latest erasure, if any, and whether it has a key (a person who came back gets a new one). */
    public record ErasureInfo(Optional<Instant> erasedAt, boolean hasKey) {
    }

    public SubjectKeys(@RestClient SubjectKeyApi vault, ServiceTokens tokens,
            @ConfigProperty(name = "sohbet.subject-keys.cache-size", defaultValue = "100000") long size,
            @ConfigProperty(name = "sohbet.subject-keys.cache-ttl", defaultValue = "20s") Duration ttl) {
        this.vault = vault;
        this.tokens = tokens;
        this.ttl = ttl;
        this.cache = Caffeine.newBuilder().maximumSize(size).expireAfterWrite(ttl).build();
        this.erasureInfo = Caffeine.newBuilder().maximumSize(size).expireAfterWrite(ttl).build();
    }

    /** For each of {@code subjects}: its latest erasure, if any, and whether it has a key now. */
    public Uni<Map<String, ErasureInfo>> erasures(Set<String> subjects) {
        Set<String> unknown = new HashSet<>(subjects);
        unknown.removeAll(erasureInfo.getAllPresent(subjects).keySet());
        Uni<Void> looked = unknown.isEmpty() ? Uni.createFrom().voidItem() : lookUp(unknown, false).replaceWithVoid();
        return looked.map(done -> new HashMap<>(erasureInfo.getAllPresent(subjects)));
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
        erasureInfo.invalidate(subject);
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
        return lookUp(missing, create).map(found -> {
            keys.putAll(found);
            return keys;
        });
    }

    /** Asks the vault about {@code subjects}, at most {@value #MAX_PER_CALL} per call, and caches the answers. */
    private Uni<Map<String, byte[]>> lookUp(Set<String> subjects, boolean create) {
        List<Set<String>> chunks = new ArrayList<>();
        Set<String> chunk = new HashSet<>();
        for (String subject : subjects) {
            chunk.add(subject);
            if (chunk.size() == MAX_PER_CALL) {
                chunks.add(chunk);
                chunk = new HashSet<>();
            }
        }
        if (!chunk.isEmpty()) {
            chunks.add(chunk);
        }
        return Multi.createFrom().iterable(chunks).onItem().transformToUniAndConcatenate(part -> lookUpChunk(part, create))
                .collect().in(HashMap<String, byte[]>::new, Map::putAll);
    }

    private Uni<Map<String, byte[]>> lookUpChunk(Set<String> subjects, boolean create) {
        SubjectKeyApi.KeyRequest request = new SubjectKeyApi.KeyRequest(subjects);
        return tokens.authorization()
                .flatMap(bearer -> create ? vault.getOrCreate(bearer, request) : vault.find(bearer, request))
                .map(batch -> {
                    Map<String, byte[]> found = new HashMap<>();
                    batch.keys().forEach((subject, key) -> {
                        if (subjects.contains(subject)) {
                            byte[] raw = Base64.getDecoder().decode(key);
                            cache.put(subject, raw);
                            found.put(subject, raw);
                        }
                    });
                    if (!create) {
                        Map<String, Instant> erased = batch.erased() == null ? Map.of() : batch.erased();
                        for (String subject : subjects) {
                            erasureInfo.put(subject, new ErasureInfo(Optional.ofNullable(erased.get(subject)), found.containsKey(subject)));
                        }
                    } else {
                        subjects.forEach(erasureInfo::invalidate); // a key may have been created: ask again when it matters
                    }
                    return found;
                });
    }
}
