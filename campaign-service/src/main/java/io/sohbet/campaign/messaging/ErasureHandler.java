package io.sohbet.campaign.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.Record;
import io.sohbet.campaign.config.CampaignConfig;
import io.sohbet.events.Channels;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.PrivacyErasure;
import io.sohbet.events.payload.PrivacyErasureAck;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Outgoing;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Carries out a data-subject erasure: deletes the subject's send-queue rows (their campaign history) and their entry
 * in the messaging-tier window with the dedupe record in one transaction, then publishes the acknowledgement; the
 * incoming record is committed only once the acknowledgement is on Kafka. A redelivered request deletes nothing more
 * and is acknowledged again (same event id, so consumers dedupe).
 */
@ApplicationScoped
public class ErasureHandler {

    private static final Logger LOG = Logger.getLogger(ErasureHandler.class);

    private final Pool database;
    private final String service;

    public ErasureHandler(Pool database, CampaignConfig config) {
        this.database = database;
        this.service = config.serviceName();
    }

    @Incoming(Channels.PRIVACY_ERASURE_IN)
    @Outgoing(Channels.PRIVACY_ERASURE_ACK_OUT)
    public Uni<Record<String, CloudEvent>> erase(CloudEvent event) {
        PrivacyErasure erasure = event.dataAs(PrivacyErasure.class);
        String subject = event.subject();
        return database.withTransaction(c -> c.preparedQuery("INSERT INTO processed_event (event_id, processed_at) VALUES ($1, $2) "
                        + "ON CONFLICT DO NOTHING").execute(Tuple.of(event.id(), Instant.now().atOffset(ZoneOffset.UTC)))
                .flatMap(inserted -> inserted.rowCount() == 0 ? Uni.createFrom().item(0L)
                        : c.preparedQuery("DELETE FROM send_queue WHERE subject_id = $1").execute(Tuple.of(subject))
                                .flatMap(queued -> c.preparedQuery("DELETE FROM recipient_window WHERE subject_id = $1")
                                        .execute(Tuple.of(subject)).map(window -> (long) queued.rowCount() + window.rowCount()))))
                .map(deleted -> {
                    LOG.infof("erasure request %s: %d rows deleted", erasure.requestId(), deleted);
                    Instant now = Instant.now();
                    return Record.of(subject, CloudEvent.of(Topics.PRIVACY_ERASURE_ACK,
                            "ack:" + erasure.requestId() + ":" + service, "/sohbet/" + service, now, subject,
                            new PrivacyErasureAck(erasure.requestId(), service, now, deleted)));
                });
    }
}
