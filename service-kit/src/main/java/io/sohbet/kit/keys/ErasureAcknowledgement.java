package io.sohbet.kit.keys;

import io.smallrye.mutiny.Uni;

import java.time.Duration;
import java.time.Instant;

/**
 * When a service that caches data keys may acknowledge an erasure: once no replica can still hold the erased
 * person's key. consent-service destroys the key, then announces the erasure (same transaction, event time
 * {@code announcedAt}); any replica's cached copy expires {@link SubjectKeys#cacheTtl} after it was fetched, so from
 * {@code announcedAt + ttl} (plus a margin for clocks and the commit) no copy is left on any replica, whichever of
 * them consumed the request.
 */
public final class ErasureAcknowledgement {

    static final Duration MARGIN = Duration.ofSeconds(2);

    private ErasureAcknowledgement() {
    }

    /** How long to wait from {@code now}: never negative, never more than the TTL and the margin. */
    static Duration wait(Instant announcedAt, Duration cacheTtl, Instant now) {
        Duration longest = cacheTtl.plus(MARGIN);
        if (announcedAt == null) {
            return longest;
        }
        Duration left = Duration.between(now, announcedAt.plus(longest));
        return left.isNegative() ? Duration.ZERO : left.compareTo(longest) > 0 ? longest : left;
    }

    /** {@code ack}, once every replica's copy of the key is gone. */
    public static <T> Uni<T> whenKeysForgotten(Instant announcedAt, SubjectKeys keys, T ack) {
        Duration wait = wait(announcedAt, keys.cacheTtl(), Instant.now());
        return wait.isZero() ? Uni.createFrom().item(ack) : Uni.createFrom().item(ack).onItem().delayIt().by(wait);
    }
}
