package io.sohbet.kit.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * The retry of every Kafka consumer method, applied with {@code @ApplyGuard(ConsumerRetry.GUARD)} (SmallRye Fault
 * Tolerance) on the listener class: a failure that {@link TransientFailures} calls transient is retried with
 * exponential backoff, {@code sohbet.messaging.retry.first-delay} (1 s) after the first failure, doubling up to
 * {@code max-delay} (30 s) between attempts, for at most {@code max-duration} (2 minutes) from the first attempt:
 * retries about 1, 3, 7, 15, 31, 61 and 91 s after it (±0.2 s jitter), and a failure ~121 s after it, so a PostgreSQL
 * restart or failover of tens of seconds loses and dead-letters nothing. Only then does the failure reach the channel's failure strategy, which sends the record to its
 * dead-letter topic ({@link CountedDeadLetterQueue}); any other failure goes there at once. A retry re-runs the whole
 * method on the same Vert.x context; consumers are idempotent, so what a failed attempt half did is harmless.
 *
 * <p>A record is retried in place: the channel keeps its order and handles nothing else meanwhile, so a retry blocks
 * the partitions the channel holds for up to {@code max-duration}, never longer. The Kafka client keeps polling
 * (paused partitions) meanwhile, so {@code max.poll.interval.ms} is not at risk; SmallRye's throttled commit strategy
 * takes a record still unprocessed after {@code throttled.unprocessed-record-max-age.ms} for a stuck consumer and
 * closes the channel, so that age must exceed the retry budget several times ({@link ConsumerChannels} checks it at
 * startup). Each retry counts in {@code sohbet_consumer_retries_total{reason}} and logs a warning with the transient
 * link of the failure's cause chain ({@link TransientFailures#transientReason}: a class, a SQLSTATE or an HTTP status,
 * never a message).
 */
@Singleton
public class ConsumerRetry {

    public static final String GUARD = "sohbet-consumer-retry";

    private static final Logger LOG = Logger.getLogger(ConsumerRetry.class);

    @Produces
    @Singleton
    @Startup
    @Identifier(GUARD)
    Guard guard(@ConfigProperty(name = "sohbet.messaging.retry.first-delay", defaultValue = "1s") Duration firstDelay,
            @ConfigProperty(name = "sohbet.messaging.retry.max-delay", defaultValue = "30s") Duration maxDelay,
            @ConfigProperty(name = "sohbet.messaging.retry.max-duration", defaultValue = "2m") Duration maxDuration,
            MeterRegistry registry) {
        check(firstDelay, maxDelay, maxDuration);
        return Guard.create()
                .withRetry()
                .maxRetries(-1) // bounded by the duration
                .delay(firstDelay.toMillis(), ChronoUnit.MILLIS)
                .jitter(Math.min(200, firstDelay.toMillis() / 2), ChronoUnit.MILLIS)
                .maxDuration(maxDuration.toMillis(), ChronoUnit.MILLIS)
                .whenException(TransientFailures::isTransient)
                .beforeRetry(failure -> {
                    // what made it transient (the refused connection, http-503, PgException-40001), not the wrapper
                    // a client or an operator put around it
                    String reason = TransientFailures.transientReason(failure);
                    registry.counter("sohbet.consumer.retries", "reason", reason).increment();
                    LOG.warnf("a consumer failed (%s), retrying for up to %s from its first attempt", reason, maxDuration);
                })
                .withExponentialBackoff().factor(2).maxDelay(maxDelay.toMillis(), ChronoUnit.MILLIS).done()
                .done()
                .build();
    }

    static void check(Duration firstDelay, Duration maxDelay, Duration maxDuration) {
        if (firstDelay.isNegative() || firstDelay.isZero() || maxDelay.compareTo(firstDelay) < 0
                || maxDuration.compareTo(maxDelay) < 0) {
            throw new IllegalArgumentException("sohbet.messaging.retry: need 0 < first-delay <= max-delay <= max-duration, got "
                    + firstDelay + ", " + maxDelay + ", " + maxDuration);
        }
    }
}
