package io.sohbet.webhook.messaging;

import java.time.Duration;

/** Kafka did not acknowledge a webhook's events in time: the sender must retry (503). */
public class PublishTimeoutException extends RuntimeException {

    public PublishTimeoutException(Duration timeout) {
        super("Kafka did not acknowledge the events within " + timeout.toMillis() + " ms");
    }
}
