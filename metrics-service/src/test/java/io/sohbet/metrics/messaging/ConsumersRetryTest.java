package io.sohbet.metrics.messaging;

import io.sohbet.devstack.GuardedConsumers;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Every Kafka consumer of this service retries transient failures before the dead-letter topic (service-kit ConsumerRetry). */
class ConsumersRetryTest {

    @Test
    void everyConsumerMethodIsGuarded() {
        GuardedConsumers.Report report = GuardedConsumers.of(Path.of("target/classes"));
        assertThat(report.consumers()).contains("EngagementListener#statuses");
        assertThat(report.unguarded()).as("@Incoming methods without @ApplyGuard(ConsumerRetry.GUARD)").isEmpty();
    }
}
