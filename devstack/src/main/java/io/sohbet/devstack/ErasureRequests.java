package io.sohbet.devstack;

import io.sohbet.events.CloudEvent;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.PrivacyErasure;
import io.sohbet.events.payload.PrivacyErasureAck;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * consent-service's side of an erasure over the real broker, for each participant's tests: the request, delivered
 * once or again (a redelivery), and the participant's acknowledgements of it.
 */
public final class ErasureRequests {

    private ErasureRequests() {
    }

    /** consent-service's erasure request about {@code subject}. */
    public static CloudEvent request(String requestId, String subject, Instant at) {
        return CloudEvent.of(Topics.PRIVACY_ERASURE, "erasure:" + requestId, "/sohbet/consent-service", at, subject,
                new PrivacyErasure(requestId, at));
    }

    /**
     * Publishes one erasure request about {@code subject} {@code deliveries} times and returns {@code service}'s
     * acknowledgements: one per delivery, each keyed by the subject with the event id {@code ack:<request id>:<service>}.
     * Kafka may deliver a request once more than it was sent (a consumer-group rebalance before the commit: at least
     * once), so an acknowledgement beyond those within a second of the last is accepted only if it affected no row: a
     * repeat that erased again would fail.
     */
    public static List<ConsumerRecord<String, CloudEvent>> deliver(String subject, String service, int deliveries) {
        String requestId = UUID.randomUUID().toString();
        String ackId = "ack:" + requestId + ":" + service;
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.PRIVACY_ERASURE_ACK)) {
            CloudEvent erasure = request(requestId, subject, Instant.now());
            for (int i = 0; i < deliveries; i++) {
                kafka.send(Topics.PRIVACY_ERASURE, subject, erasure);
            }
            List<ConsumerRecord<String, CloudEvent>> acks = kafka.await(deliveries, r -> r.value().id().equals(ackId),
                    Duration.ofSeconds(30));
            List<ConsumerRecord<String, CloudEvent>> more = kafka.drain(Duration.ofSeconds(1)).stream()
                    .filter(r -> r.value().id().equals(ackId)).toList();
            if (acks.size() != deliveries || rowsAffected(more).stream().anyMatch(rows -> rows != 0)) {
                throw new AssertionError("expected " + deliveries + " acknowledgements " + ackId + " (repeats erasing nothing), got "
                        + rowsAffected(acks) + " then " + rowsAffected(more));
            }
            acks.stream().filter(ack -> !subject.equals(ack.key())).findAny().ifPresent(ack -> {
                throw new AssertionError("acknowledgement keyed " + ack.key() + ", not by the subject " + subject);
            });
            return acks;
        }
    }

    /** The rows each acknowledgement says the erasure deleted or folded. */
    public static List<Long> rowsAffected(List<ConsumerRecord<String, CloudEvent>> acks) {
        return acks.stream().map(ack -> ack.value().dataAs(PrivacyErasureAck.class).rowsAffected()).toList();
    }
}
