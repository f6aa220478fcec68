package io.sohbet.kit.keys;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.sohbet.kit.ServiceTokens;
import io.sohbet.kit.messaging.TransientFailures;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

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
 * nothing and creates no key. Only ingestion of new data uses {@link #getOrCreate}. Erasure checks ({@link #erasures})
 * ask the vault's {@code /erasures}, which returns no key: a service that only checks erasures never holds one.
 *
 * <p>Every cached key is dropped at the latest {@code sohbet.subject-keys.cache-ttl} (20 s) after it was fetched, on
 * every replica; the vault's erasure commits the key's deletion before the request is published, so a participant
 * that waits that long after it consumed the request ({@link ErasureAcknowledgement}) knows that no replica still
 * holds the key. {@link #erasures} also says when a subject was last erased, for {@link ErasedSubjects}.
 */
@ApplicationScoped
public class SubjectKeys {

    private static final Logger LOG = Logger.getLogger(SubjectKeys.class);

    private final SubjectKeyApi vault;
    private final ServiceTokens tokens;
    private final MeterRegistry registry;
    private final Duration ttl;
    /** The earliest event time the vault accepts; earlier ones are sent as this (they are "old" either way). */
    public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    /**
     * An answer that took longer than this is used but not cached: a cached entry lives {@code cache-ttl} from when it
     * was cached, and the erasure participants' wait ({@link ErasureAcknowledgement}, ttl + 5 s) must cover it from
     * when the vault read it.
     */
    static final Duration MAX_CACHED_ANSWER_AGE = Duration.ofSeconds(1);
    /** consent-service answers at most this many subjects per call. */
    static final int MAX_PER_CALL = 1000;
    private final Cache<String, byte[]> cache;
    /** What {@code find} said about erasures: the latest one (if any) and whether the subject has a key again. */
    private final Cache<String, ErasureInfo> erasureInfo;

    /** A subject's latest erasure, if any, and whether it has a key (a person who came back gets a new one). */
    public record ErasureInfo(Optional<Instant> erasedAt, boolean hasKey) {
    }

    public SubjectKeys(@RestClient SubjectKeyApi vault, ServiceTokens tokens, MeterRegistry registry,
            @ConfigProperty(name = "sohbet.subject-keys.cache-size", defaultValue = "100000") long size,
            @ConfigProperty(name = "sohbet.subject-keys.cache-ttl", defaultValue = "20s") Duration ttl) {
        this.vault = vault;
        this.registry = registry;
        this.tokens = tokens;
        this.ttl = ttl;
        this.cache = Caffeine.newBuilder().maximumSize(size).expireAfterWrite(ttl).build();
        this.erasureInfo = Caffeine.newBuilder().maximumSize(size).expireAfterWrite(ttl).build();
    }

    /** For each of {@code subjects}: its latest erasure, if any, and whether it has a key now. */
    public Uni<Map<String, ErasureInfo>> erasures(Set<String> subjects) {
        Map<String, ErasureInfo> known = new HashMap<>(erasureInfo.getAllPresent(subjects));
        Set<String> unknown = new HashSet<>(subjects);
        unknown.removeAll(known.keySet());
        if (unknown.isEmpty()) {
            return Uni.createFrom().item(known);
        }
        // the vault's answer itself, not the cache: an answer too slow to cache (or evicted meanwhile) still counts
        return Multi.createFrom().iterable(chunks(unknown))
                .onItem().transformToUniAndConcatenate(this::erasuresChunk)
                .collect().in(() -> known, Map::putAll);
    }

    /** Asks the vault's erasure check (no keys travel) about one chunk, and caches the answer if it came quickly. */
    private Uni<Map<String, ErasureInfo>> erasuresChunk(Set<String> subjects) {
        return onceMore(() -> tokens.authorization().flatMap(bearer -> {
            long asked = System.nanoTime();
            return vault.erasures(bearer, new SubjectKeyApi.KeyRequest(subjects))
                    .map(batch -> Map.entry(batch, System.nanoTime() - asked <= MAX_CACHED_ANSWER_AGE.toNanos()));
        })).map(answer -> {
            SubjectKeyApi.ErasureBatch batch = answer.getKey();
            Set<String> keyed = batch.keyed() == null ? Set.of() : batch.keyed();
            Map<String, Instant> erased = batch.erased() == null ? Map.of() : batch.erased();
            Map<String, ErasureInfo> infos = new HashMap<>();
            for (String subject : subjects) {
                infos.put(subject, new ErasureInfo(Optional.ofNullable(erased.get(subject)), keyed.contains(subject)));
            }
            if (answer.getValue()) {
                erasureInfo.putAll(infos);
            } else {
                subjects.forEach(erasureInfo::invalidate);
            }
            return infos;
        });
    }

    /**
     * A call to the vault (its token included), made once more at once when it failed for a reason that passes by
     * itself ({@link TransientFailures}: a timeout, a refused or lost connection, 408, 429, 502, 503, 504): a pause of
     * consent-service up to about one more read timeout (a full collection on a starved node) then costs the caller a
     * wait instead of a failure, which for webhook-service would be a 503. Not on anything else (a 4xx refusal, a 500,
     * an answer that cannot be read): asking again would end the same way. Each call made again is counted in
     * {@code sohbet_subject_keys_retries_total{reason}} and logged with the failure's class only; a failure of the
     * second call goes to the caller as it is. No back-off: the second call runs where the failure was delivered (the
     * caller's Vert.x context, as an answer would be).
     */
    <T> Uni<T> onceMore(java.util.function.Supplier<Uni<? extends T>> call) {
        return Uni.createFrom().<T>deferred(call)
                .onFailure(TransientFailures::isTransient).recoverWithUni(failure -> {
                    String reason = TransientFailures.transientReason(failure);
                    registry.counter("sohbet.subject-keys.retries", "reason", reason).increment();
                    LOG.warnf("a call to the key vault failed (%s); it is made once more", reason);
                    return Uni.createFrom().<T>deferred(call);
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

    /**
     * The keys of the subjects of {@code happenedAt} (subject → when the latest of the events to seal happened),
     * created where there is none unless the subject was erased at or after that time: the vault refuses a late event
     * about an erased person. The answer also says, per subject, when it was last erased, so that the caller can drop
     * the events of a person who came back that happened before the erasure ({@link Grant#erased}). Times before
     * {@link #EARLIEST} or in the future are sent as {@link #EARLIEST} or now (the vault rejects absurd times).
     */
    public Uni<Grant> getOrCreate(Map<String, Instant> happenedAt) {
        Map<String, byte[]> keys = new HashMap<>();
        Map<String, ErasureInfo> erasures = new HashMap<>();
        Map<String, Instant> ask = new HashMap<>();
        Instant now = Instant.now();
        happenedAt.forEach((subject, at) -> {
            byte[] key = cache.getIfPresent(subject);
            ErasureInfo info = erasureInfo.getIfPresent(subject);
            if (key != null && info != null && info.hasKey()) {
                keys.put(subject, key);
                erasures.put(subject, info);
            } else {
                ask.put(subject, at == null ? null : at.isBefore(EARLIEST) ? EARLIEST : at.isAfter(now) ? now : at);
            }
        });
        if (ask.isEmpty()) {
            return Uni.createFrom().item(new Grant(keys, erasures));
        }
        return lookUp(ask.keySet(), true, ask).map(grant -> {
            keys.putAll(grant.keys());
            erasures.putAll(grant.erasures());
            return new Grant(keys, erasures);
        });
    }

    /** What get-or-create answered for a batch: the keys, and each subject's latest erasure and whether it has a key. */
    public record Grant(Map<String, byte[]> keys, Map<String, ErasureInfo> erasures) {

        /** Whether an event about {@code subject} that happened at {@code happenedAt} is about an erased person. */
        public boolean erased(String subject, Instant happenedAt) {
            return subject != null && ErasedSubjects.erased(erasures.get(subject), happenedAt);
        }
    }

    /** Told of every subject evicted ({@link #evict}): a service drops what else it caches about the person. */
    private final java.util.List<java.util.function.Consumer<String>> evictionListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Drops this replica's copy of a subject's key at once (every replica's copy expires after {@link #cacheTtl}), and
     * tells the {@link #onEvict} listeners.
     */
    public void evict(String subject) {
        cache.invalidate(subject);
        erasureInfo.invalidate(subject);
        evictionListeners.forEach(listener -> listener.accept(subject));
    }

    /** Calls {@code listener} with every subject evicted from now on (the erasure participant evicts an erased person). */
    public void onEvict(java.util.function.Consumer<String> listener) {
        evictionListeners.add(listener);
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
        return lookUp(missing, create, null).map(found -> {
            keys.putAll(found.keys());
            return keys;
        });
    }

    /**
     * Asks the vault about {@code subjects}, at most {@value #MAX_PER_CALL} per call, and caches the answers;
     * {@code happenedAt}: the event times to send with a get-or-create, or null.
     */
    private Uni<Grant> lookUp(Set<String> subjects, boolean create, Map<String, Instant> happenedAt) {
        return Multi.createFrom().iterable(chunks(subjects))
                .onItem().transformToUniAndConcatenate(part -> lookUpChunk(part, create, happenedAt))
                .collect().in(() -> new Grant(new HashMap<>(), new HashMap<>()), (all, part) -> {
                    all.keys().putAll(part.keys());
                    all.erasures().putAll(part.erasures());
                });
    }

    /** {@code subjects} in chunks of at most {@value #MAX_PER_CALL}, what one call may name. */
    private static List<Set<String>> chunks(Set<String> subjects) {
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
        return chunks;
    }

    private Uni<Grant> lookUpChunk(Set<String> subjects, boolean create, Map<String, Instant> happenedAt) {
        Map<String, Instant> times = null;
        if (happenedAt != null) {
            times = new HashMap<>();
            for (String subject : subjects) {
                if (happenedAt.get(subject) != null) {
                    times.put(subject, happenedAt.get(subject));
                }
            }
        }
        SubjectKeyApi.KeyRequest request = new SubjectKeyApi.KeyRequest(subjects, times);
        boolean timed = times != null;
        // get-or-create is idempotent (a key created by a call whose answer was lost is returned by the next), so a
        // call may be made again; the answer's age is measured from the call that answered
        return onceMore(() -> tokens.authorization()
                .flatMap(bearer -> {
                    long asked = System.nanoTime();
                    return (create ? vault.getOrCreate(bearer, request) : vault.find(bearer, request))
                            .map(batch -> java.util.Map.entry(batch, System.nanoTime() - asked <= MAX_CACHED_ANSWER_AGE.toNanos()));
                }))
                .map(answer -> {
                    SubjectKeyApi.KeyBatch batch = answer.getKey();
                    // an entry expires ttl after it was cached, so it must be about as old as the vault's answer: one
                    // that took long may have been read before an erasure committed and would outlive the wait
                    boolean cacheable = answer.getValue();
                    Map<String, byte[]> found = new HashMap<>();
                    batch.keys().forEach((subject, key) -> {
                        if (subjects.contains(subject)) {
                            byte[] raw = Base64.getDecoder().decode(key);
                            if (cacheable) {
                                cache.put(subject, raw);
                            }
                            found.put(subject, raw);
                        }
                    });
                    Map<String, Instant> erased = batch.erased() == null ? Map.of() : batch.erased();
                    Map<String, ErasureInfo> infos = new HashMap<>();
                    for (String subject : subjects) {
                        infos.put(subject, new ErasureInfo(Optional.ofNullable(erased.get(subject)), found.containsKey(subject)));
                    }
                    if (!cacheable) {
                        subjects.forEach(erasureInfo::invalidate);
                    } else if (!create || timed) {
                        // find, and a get-or-create with times, say when every named subject was last erased
                        erasureInfo.putAll(infos);
                    } else {
                        subjects.forEach(erasureInfo::invalidate); // a key may have been created: ask again when it matters
                    }
                    return new Grant(found, infos);
                });
    }
}
