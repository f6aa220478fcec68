package io.sohbet.kit.keys;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The consumer-side half of an erasure: an event about a person that happened before they were erased (consumer
 * lag, a redelivery, Meta's retry of an old webhook) is dropped instead of bringing them back as new rows. Asks the
 * vault through {@link SubjectKeys#erasures} (cached). If the vault cannot answer, events are kept (erasures are rare,
 * the events are customers' own actions) and counted as {@code sohbet_erasure_checks_total{outcome="unchecked"}}.
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

    /** Whether to keep an event about {@code subject} that happened at {@code happenedAt} (null: when it arrived). */
    public Uni<Boolean> keep(String subject, Instant happenedAt) {
        if (subject == null || subject.isEmpty()) {
            return Uni.createFrom().item(true);
        }
        return keepAll(List.of(subject), (String s) -> s, s -> happenedAt).map(kept -> !kept.isEmpty());
    }

    /** The events of {@code events} to keep, in their order. */
    public <T> Uni<List<T>> keepAll(List<T> events, Function<T, String> subjectOf, Function<T, Instant> happenedAt) {
        Map<String, Instant> latest = new HashMap<>();
        for (T event : events) {
            String subject = subjectOf.apply(event);
            if (subject != null && !subject.isEmpty()) {
                latest.merge(subject, orNow(happenedAt.apply(event)), (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        if (latest.isEmpty()) {
            return Uni.createFrom().item(events);
        }
        return keys.erasures(latest.keySet())
                .map(erased -> {
                    if (erased.isEmpty()) {
                        return events;
                    }
                    List<T> kept = events.stream().filter(e -> {
                        Instant erasedAt = erased.get(subjectOf.apply(e));
                        boolean drop = erasedAt != null && !orNow(happenedAt.apply(e)).isAfter(erasedAt);
                        if (drop) {
                            registry.counter("sohbet.erasure.checks", "outcome", "dropped").increment();
                        }
                        return !drop;
                    }).toList();
                    return kept;
                })
                .onFailure().recoverWithItem(failure -> {
                    registry.counter("sohbet.erasure.checks", "outcome", "unchecked").increment(events.size());
                    LOG.warnf("erasure check skipped, the key vault did not answer: %s", failure.getClass().getSimpleName());
                    return events;
                });
    }

    private static Instant orNow(Instant instant) {
        return instant == null ? Instant.now() : instant;
    }
}
