package io.sohbet.campaign.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.sohbet.campaign.service.SendQueue;
import io.sohbet.events.Channels;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.CampaignMessage;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Publishes {@code campaign.message} (message id ↔ campaign, variant, type) for every accepted send; the message id is
 * the keyed hash of the wamid ({@code mid_…}), never the wamid. The row is marked sent first; the event follows and
 * the row is flagged published once Kafka acknowledged it, so a crash in between is repaired by {@link #republish}:
 * the event id is {@code campaign.message:<hashed id>}, consumers drop the repeat. A message of a campaign marked as a
 * CSAT survey is published with {@code csatSurvey}, on the first try and on a republish alike.
 */
@ApplicationScoped
public class CampaignMessages {

    private static final Logger LOG = Logger.getLogger(CampaignMessages.class);

    private final MutinyEmitter<CloudEvent> emitter;
    private final SendQueue queue;
    private final Pool database;
    private final Queue<Long> acknowledged = new ConcurrentLinkedQueue<>();

    public CampaignMessages(@Channel(Channels.CAMPAIGN_MESSAGE_OUT) MutinyEmitter<CloudEvent> emitter, SendQueue queue, Pool database) {
        this.emitter = emitter;
        this.queue = queue;
        this.database = database;
    }

    /** Publishes; a failure is left to {@link #republish} (the row stays unpublished). */
    public Uni<Void> publish(long rowId, String subject, String wamid, String campaignId, String variant, String type, Instant at,
            boolean csatSurvey) {
        CloudEvent event = CloudEvent.of(Topics.CAMPAIGN_MESSAGE, "campaign.message:" + wamid, "/sohbet/campaign-service", at, subject,
                new CampaignMessage(wamid, campaignId, variant, type, at, csatSurvey));
        return emitter.sendMessage(Message.of(event).addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(subject).build()))
                .invoke(() -> acknowledged.add(rowId))
                .onFailure().recoverWithUni(e -> {
                    LOG.warnf("campaign.message not published yet (%s); housekeeping retries", e.getClass().getSimpleName());
                    return Uni.createFrom().voidItem();
                });
    }

    /** Flags the acknowledged rows as published. */
    public Uni<Void> flush() {
        List<Long> ids = new ArrayList<>();
        Long id;
        while ((id = acknowledged.poll()) != null) {
            ids.add(id);
        }
        return queue.published(ids);
    }

    /** Publishes again what was sent before {@code before} and never acknowledged (a crash between send and publish). */
    public Uni<Integer> republish(Instant before) {
        return database.preparedQuery("SELECT q.id, q.subject_id, q.wamid, q.campaign_id, q.variant, q.message_type, q.sent_at, "
                        + "COALESCE(c.csat_survey, FALSE) AS csat_survey FROM send_queue q LEFT JOIN campaign c ON c.id = q.campaign_id "
                        + "WHERE q.wamid IS NOT NULL AND NOT q.published AND q.sent_at < $1 ORDER BY q.sent_at LIMIT 1000")
                .execute(Tuple.of(io.sohbet.campaign.service.Campaigns.utc(before)))
                .flatMap(rows -> {
                    List<Uni<Void>> sends = new ArrayList<>();
                    for (Row r : rows) {
                        sends.add(publish(r.getLong("id"), r.getString("subject_id"), r.getString("wamid"), r.getString("campaign_id"),
                                r.getString("variant"), r.getString("message_type"), r.getOffsetDateTime("sent_at").toInstant(),
                                r.getBoolean("csat_survey")));
                    }
                    return sends.isEmpty() ? Uni.createFrom().item(0)
                            : Uni.join().all(sends).andCollectFailures().replaceWith(sends.size()).call(this::flush);
                });
    }
}
