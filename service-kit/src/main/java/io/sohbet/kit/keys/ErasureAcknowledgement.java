package io.sohbet.kit.keys;

import io.smallrye.mutiny.Uni;

import java.time.Duration;
import java.time.Instant;

/**
 * When a service that caches data keys may carry out and acknowledge an erasure: once no replica can still hold the
 * erased person's key. consent-service commits the key's deletion before it publishes the request, so the request's
 * Kafka record timestamp is after the deletion; any replica's cached copy expires {@link SubjectKeys#cacheTtl} after
 * it was fetched, so at the latest at record timestamp + TTL. The participant waits until then plus {@link #MARGIN}:
 * a fresh request waits the full TTL and margin, a backlog (a burst, a replay, a restart after an outage) waits only
 * for what is left of it, so the records queued behind the first do not wait again. Waiting before deleting means
 * that by the time the rows go, no replica can open or accept an event about the person as "not erased" any more
 * ({@link ErasedSubjects} asks the vault again), so nothing is written back after the delete.
 *
 * <p>The record timestamp is set by consent-service's producer (CreateTime) or the broker (LogAppendTime), the
 * comparison is on the participant's clock: {@link #MARGIN} covers the skew between those clocks (NTP keeps hosts
 * within milliseconds; 5 s leaves room for a badly synchronised one) and the time from the key's cache fetch to its
 * cache entry. A timestamp ahead of the participant's clock never makes it wait longer than TTL + margin from now.
 */
public final class ErasureAcknowledgement {

    /** Added to the cache TTL: clock skew between the record's timestamp and this service, and slack. */
    static final Duration MARGIN = Duration.ofSeconds(5);

    /**
     * The longest a participant that caches keys waits after an erasure request was published ({@code cache-ttl} +
     * margin): an erasure completes no sooner after its request, so anything that happened before an erasure and
     * arrives after it completed is at least this old when it arrives.
     */
    public static Duration longestWait(SubjectKeys keys) {
        return keys.cacheTtl().plus(MARGIN);
    }

    private ErasureAcknowledgement() {
    }

    /**
     * How long to wait, at {@code now}, for an erasure request whose Kafka record has the timestamp {@code published}:
     * until {@code published + cacheTtl + MARGIN}, never less than nothing and never more than {@code cacheTtl + MARGIN},
     * in whole milliseconds rounded up: Quarkus's scheduler refuses a timer under 1 ms (a request queued right behind
     * another with the same timestamp used to fail on it and go to the dead-letter topic).
     */
    static Duration wait(Duration cacheTtl, Instant published, Instant now) {
        Duration full = cacheTtl.plus(MARGIN);
        Duration left = Duration.between(now, published.plus(full));
        if (left.isNegative() || left.isZero()) {
            return Duration.ZERO;
        }
        Duration millis = left.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        Duration rounded = millis.equals(left) ? left : millis.plusMillis(1);
        return rounded.compareTo(full) > 0 ? full : rounded;
    }

    /**
     * Completes once every replica's cached copy of the key (and erasure status) of the person erased by the request
     * published at {@code published} has expired, back on the caller's Vert.x context (database sessions and
     * transactions need it), if it was called on one. At once when that is already so.
     */
    public static Uni<Void> whenKeysForgotten(SubjectKeys keys, Instant published) {
        Duration wait = wait(keys.cacheTtl(), published, Instant.now());
        if (wait.isZero()) {
            return Uni.createFrom().voidItem();
        }
        io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
        Uni<Void> waited = Uni.createFrom().voidItem().onItem().delayIt().by(wait);
        return context == null ? waited : waited.emitOn(task -> context.runOnContext(ignored -> task.run()));
    }
}
