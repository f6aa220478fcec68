package io.sohbet.kit.keys;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ErasureAcknowledgementTest {

    static final Duration TTL = Duration.ofSeconds(20);
    static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    @Test
    void aFreshRequestWaitsTheCacheLifetimeAndAMargin() {
        assertThat(ErasureAcknowledgement.wait(TTL, NOW, NOW)).isEqualTo(Duration.ofSeconds(25));
    }

    @Test
    void aRequestPublishedEarlierWaitsOnlyWhatIsLeft() {
        assertThat(ErasureAcknowledgement.wait(TTL, NOW.minusSeconds(10), NOW)).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void aBacklogOrAReplayedRecordDoesNotWaitAgain() {
        assertThat(ErasureAcknowledgement.wait(TTL, NOW.minusSeconds(25), NOW)).isZero();
        assertThat(ErasureAcknowledgement.wait(TTL, NOW.minus(Duration.ofDays(3)), NOW)).isZero();
    }

    @Test
    void whatIsLeftIsWholeMillisecondsSoTheTimerAcceptsIt() {
        // a redelivery queued right behind the first delivery has a few hundred microseconds left: Quarkus's
        // scheduler refuses timers under 1 ms with an IllegalArgumentException, which dead-lettered the request
        Instant almost = NOW.plus(Duration.ofSeconds(25)).minusNanos(300_000);
        assertThat(ErasureAcknowledgement.wait(TTL, NOW, almost)).isEqualTo(Duration.ofMillis(1));
        assertThat(ErasureAcknowledgement.wait(TTL, NOW, NOW.plusMillis(10).minusNanos(1))).isEqualTo(Duration.ofMillis(24_991));
        assertThat(ErasureAcknowledgement.wait(TTL, NOW, NOW.plus(Duration.ofSeconds(25)))).isZero();
    }

    @Test
    void aTimestampAheadOfThisClockNeverWaitsMoreThanTheCacheLifetimeAndTheMargin() {
        assertThat(ErasureAcknowledgement.wait(TTL, NOW.plusSeconds(3), NOW)).isEqualTo(Duration.ofSeconds(25));
        assertThat(ErasureAcknowledgement.wait(TTL, NOW.plus(Duration.ofDays(1)), NOW)).isEqualTo(Duration.ofSeconds(25));
    }

    @Test
    void staysWellUnderSmallRyesLimitForARecordInProgressWithTheDefaults() {
        // the privacy-erasure-in channels raise throttled.unprocessed-record-max-age.ms to 300 s; the default TTL is 20 s
        assertThat(ErasureAcknowledgement.wait(TTL, NOW, NOW)).isLessThan(Duration.ofSeconds(60));
    }
}
