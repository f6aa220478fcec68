package io.sohbet.kit.keys;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ErasureAcknowledgementTest {

    @Test
    void waitsTheCacheLifetimeAndAMarginFromConsumption() {
        assertThat(ErasureAcknowledgement.wait(Duration.ofSeconds(20))).isEqualTo(Duration.ofSeconds(22));
    }

    @Test
    void staysWellUnderSmallRyesLimitForARecordInProgressWithTheDefaults() {
        // the privacy-erasure-in channels raise throttled.unprocessed-record-max-age.ms to 300 s; the default TTL is 20 s
        assertThat(ErasureAcknowledgement.wait(Duration.ofSeconds(20))).isLessThan(Duration.ofSeconds(60));
    }
}
