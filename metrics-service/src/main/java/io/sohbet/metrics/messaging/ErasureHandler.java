package io.sohbet.metrics.messaging;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.Record;
import io.sohbet.events.Channels;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.PrivacyErasure;
import io.sohbet.events.payload.PrivacyErasureAck;
import io.sohbet.metrics.config.MetricsConfig;
import io.sohbet.metrics.domain.ProcessedEvent;
import io.sohbet.metrics.repository.MessageStateRepository;
import io.sohbet.metrics.repository.ProcessedEventRepository;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Outgoing;
import org.jboss.logging.Logger;

import java.time.Instant;

/**
 * Carries out a data-subject erasure: deletes the subject's rows and the dedupe record in one transaction, then
 * publishes the acknowledgement; the incoming record is committed only once the acknowledgement is on Kafka. A
 * redelivered request deletes nothing more and is acknowledged again (same event id, so consumers dedupe).
 */
@ApplicationScoped
public class ErasureHandler {

    private static final Logger LOG = Logger.getLogger(ErasureHandler.class);

    private final MessageStateRepository rows;
    private final ProcessedEventRepository processed;
    private final String service;

    public ErasureHandler(MessageStateRepository rows, ProcessedEventRepository processed, MetricsConfig config) {
        this.rows = rows;
        this.processed = processed;
        this.service = config.serviceName();
    }

    @Incoming(Channels.PRIVACY_ERASURE_IN)
    @Outgoing(Channels.PRIVACY_ERASURE_ACK_OUT)
    public Uni<Record<String, CloudEvent>> erase(CloudEvent event) {
        PrivacyErasure erasure = event.dataAs(PrivacyErasure.class);
        String subject = event.subject();
        return Panache.withTransaction(() -> processed.findById(event.id())
                .flatMap(done -> done != null
                        ? Uni.createFrom().item(0L)
                        : rows.deleteBySubject(subject)
                                .call(() -> processed.persist(ProcessedEvent.of(event.id(), Instant.now())))))
                .map(deleted -> {
                    LOG.infof("erasure request %s: %d rows deleted", erasure.requestId(), deleted);
                    Instant now = Instant.now();
                    return Record.of(subject, CloudEvent.of(Topics.PRIVACY_ERASURE_ACK,
                            "ack:" + erasure.requestId() + ":" + service, "/sohbet/" + service, now, subject,
                            new PrivacyErasureAck(erasure.requestId(), service, now, deleted)));
                });
    }
}
