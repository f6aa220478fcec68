package io.sohbet.segment.service;

import io.smallrye.mutiny.Uni;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;

/**
 * Where a full run's time goes: the time of each phase of its pages, summed over the pages. With pages in flight at
 * once the phases overlap, so their sum can exceed the run's wall time. {@link #NONE} times nothing (an event's update).
 */
public final class RunPhases {

    /** The steps of a page, in their order. */
    public enum Phase {
        CATALOG("catalog lock and version"),
        KEYS("page keys"),
        RECOMPUTE("recompute (SQL, returns the profiles)"),
        EVALUATE("evaluation (Java)"),
        WRITE("memberships and their events (SQL: difference, inserts, deletes, outbox)"),
        COMMIT("commit");

        private final String label;

        Phase(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public static final RunPhases NONE = new RunPhases(false);

    private final boolean timing;
    private final AtomicLongArray nanos = new AtomicLongArray(Phase.values().length);

    private RunPhases(boolean timing) {
        this.timing = timing;
    }

    public static RunPhases timing() {
        return new RunPhases(true);
    }

    /** Runs {@code step} and adds its time, from subscription to its item or failure, to {@code phase}. */
    public <T> Uni<T> time(Phase phase, Supplier<Uni<T>> step) {
        if (!timing) {
            return Uni.createFrom().deferred(step::get);
        }
        return Uni.createFrom().deferred(() -> {
            long start = System.nanoTime();
            return step.get().onItemOrFailure().invoke(() -> add(phase, System.nanoTime() - start));
        });
    }

    public void add(Phase phase, long nanoseconds) {
        if (timing) {
            nanos.addAndGet(phase.ordinal(), nanoseconds);
        }
    }

    /** The time of each phase so far. */
    public Map<Phase, Duration> times() {
        Map<Phase, Duration> times = new EnumMap<>(Phase.class);
        for (Phase p : Phase.values()) {
            times.put(p, Duration.ofNanos(nanos.get(p.ordinal())));
        }
        return times;
    }
}
