package io.sohbet.kit.keys;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.sohbet.events.CloudEvent;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The consumer-side half of an erasure: an event about an erased person is dropped instead of bringing them back as
 * new rows — every event that happened before their erasure (consumer lag, a redelivery, Meta's retry of an old
 * webhook), and any event at all while they have no key (only ingestion of something new they did creates one, so a
 * person who came back always has a key again). Asks the vault through {@link SubjectKeys#erasures} (cached). If the
 * vault cannot answer, events are kept (erasures are rare, the events are customers' own actions) and counted as
 * {@code sohbet_erasure_checks_total{outcome="unchecked"}}; events checked and kept count as {@code outcome="kept"},
 * dropped ones as {@code outcome="dropped"}.
 */
@ApplicationScoped
public class ErasedSubjects {

    private static final Logger LOG = Logger.getLogger(ErasedSubjects.class);

    private final SubjectKeys keys;
    private final MeterRegistry registry;

    public ErasedSubjects(SubjectKeys keys, MeterRegistry registry) {
        this.keys = keys;
        this.registry = registry;
    }

    /** Whether to keep an event about {@code subject} that happened at {@code happenedAt} (null: unknown). */
    public Uni<Boolean> keep(String subject, Instant happenedAt) {
        if (subject == null || subject.isEmpty()) {
            return Uni.createFrom().item(true);
        }
        return keepAll(List.of(subject), (String s) -> s, s -> happenedAt).map(kept -> !kept.isEmpty());
    }

    /**
     * Stores one event with {@code store} unless it is about an erased person; {@code happenedAt} is the payload's
     * time, or null for the event's own.
     */
    public Uni<Void> unlessErased(CloudEvent event, Instant happenedAt, Supplier<Uni<Void>> store) {
        return keep(event.subject(), happenedAt != null ? happenedAt : event.time())
                .flatMap(keep -> keep ? store.get() : Uni.createFrom().voidItem());
    }

    /** The events of {@code events} to keep, in their order. */
    public <T> Uni<List<T>> keepAll(List<T> events, Function<T, String> subjectOf, Function<T, Instant> happenedAt) {
        Set<String> subjects = new HashSet<>();
        for (T event : events) {
            String subject = subjectOf.apply(event);
            if (subject != null && !subject.isEmpty()) {
                subjects.add(subject);
            }
        }
        if (subjects.isEmpty()) {
            return Uni.createFrom().item(events);
        }
        return keys.erasures(subjects)
                .map(info -> {
                    List<T> kept = events.stream().filter(e -> {
                        boolean drop = erased(info.get(subjectOf.apply(e)), happenedAt.apply(e));
                        if (drop) {
                            registry.counter("sohbet.erasure.checks", "outcome", "dropped").increment();
                        }
                        return !drop;
                    }).toList();
                    registry.counter("sohbet.erasure.checks", "outcome", "kept").increment(kept.size());
                    return kept;
                })
                .onFailure().recoverWithItem(failure -> {
                    registry.counter("sohbet.erasure.checks", "outcome", "unchecked").increment(subjects.size());
                    LOG.warnf("erasure check skipped, the key vault did not answer: %s", failure.getClass().getSimpleName());
                    return events;
                });
    }

    /** Erased and not back (no key), or erased after the event happened. */
    public static boolean erased(SubjectKeys.ErasureInfo info, Instant happenedAt) {
        if (info == null || info.erasedAt().isEmpty()) {
            return false;
        }
        return !info.hasKey() || (happenedAt != null && !happenedAt.isAfter(info.erasedAt().get()));
    }
}
