package io.sohbet.kit.keys;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ErasureAcknowledgementTest {

    private static final Duration TTL = Duration.ofSeconds(60);
    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");

    @Test
    void waitsUntilTheLastCachedCopyHasExpired() {
        assertThat(ErasureAcknowledgement.wait(NOW, TTL, NOW)).isEqualTo(Duration.ofSeconds(62));
        assertThat(ErasureAcknowledgement.wait(NOW.minusSeconds(50), TTL, NOW)).isEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void anOldRequestIsAcknowledgedAtOnce() {
        assertThat(ErasureAcknowledgement.wait(NOW.minusSeconds(3600), TTL, NOW)).isZero();
    }

    @Test
    void aClockAheadOrNoTimeWaitsTheLongestOnly() {
        assertThat(ErasureAcknowledgement.wait(NOW.plusSeconds(3600), TTL, NOW)).isEqualTo(Duration.ofSeconds(62));
        assertThat(ErasureAcknowledgement.wait(null, TTL, NOW)).isEqualTo(Duration.ofSeconds(62));
    }
}
