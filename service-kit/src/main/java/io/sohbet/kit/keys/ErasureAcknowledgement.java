package io.sohbet.kit.keys;

import io.smallrye.mutiny.Uni;

import java.time.Duration;

/**
 * When a service that caches data keys may carry out and acknowledge an erasure: once no replica can still hold the
 * erased person's key. consent-service commits the key's deletion before it publishes the request, so when a
 * participant consumes it the key is gone from the vault; any replica's cached copy expires
 * {@link SubjectKeys#cacheTtl} after it was fetched. Waiting that long (plus a margin) from consumption, on the
 * participant's own clock, covers every replica whichever consumed the request, a slow commit, and a replayed request
 * with an old event time. Waiting before deleting means that by the time the rows go, no replica can open or accept
 * an event about the person as "not erased" any more ({@link ErasedSubjects} asks the vault again), so nothing is
 * written back after the delete.
 */
public final class ErasureAcknowledgement {

    static final Duration MARGIN = Duration.ofSeconds(2);

    private ErasureAcknowledgement() {
    }

    /** How long to wait after consuming an erasure request. */
    static Duration wait(Duration cacheTtl) {
        return cacheTtl.plus(MARGIN);
    }

    /**
     * Completes once every replica's cached copy of the erased person's key (and erasure status) has expired, back on
     * the caller's Vert.x context (database sessions and transactions need it), if it was called on one.
     */
    public static Uni<Void> whenKeysForgotten(SubjectKeys keys) {
        io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
        Uni<Void> waited = Uni.createFrom().voidItem().onItem().delayIt().by(wait(keys.cacheTtl()));
        return context == null ? waited : waited.emitOn(task -> context.runOnContext(ignored -> task.run()));
    }
}
