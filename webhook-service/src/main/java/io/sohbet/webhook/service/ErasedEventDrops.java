package io.sohbet.webhook.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Counts the events of webhooks dropped because they are about a person erased since they happened
 * ({@code sohbet_webhook_erased_dropped_total{topic}}): Meta's retries of old messages, a shop's re-sent orders. Tagged
 * by topic only; which person it was is never logged or counted.
 */
@ApplicationScoped
public class ErasedEventDrops {

    public static final String NAME = "sohbet.webhook.erased.dropped";

    private final MeterRegistry registry;

    public ErasedEventDrops(MeterRegistry registry) {
        this.registry = registry;
    }

    /** One event of {@code topic} dropped. */
    public void count(String topic) {
        Counter.builder(NAME).description("Webhook events dropped as about a person erased since they happened")
                .tag("topic", topic).register(registry).increment();
    }
}
