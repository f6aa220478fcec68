package io.sohbet.segment.messaging;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.CloudEventDeserializer;
import io.sohbet.events.Channels;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Publishes the outbox: claims a batch of unpublished rows ({@code FOR UPDATE SKIP LOCKED}, so replicas share the
 * work), sends them in id order, waits for Kafka's acknowledgements, and marks them published in the same
 * transaction. A crash before the mark republishes the batch: consumers drop the duplicates by event id. Each run
 * drains the outbox batch after batch (a first full evaluation writes millions of rows; one batch per tick would take
 * hours to publish them).
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int BATCH = 500;

    private final Pool database;
    private final MutinyEmitter<CloudEvent> memberships;
    private final CloudEventDeserializer deserializer = new CloudEventDeserializer();

    public OutboxRelay(Pool database, @Channel(Channels.SEGMENT_MEMBERSHIP_OUT) MutinyEmitter<CloudEvent> memberships) {
        this.database = database;
        this.memberships = memberships;
    }

    @Scheduled(every = "${sohbet.segment.outbox-interval:1s}", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> relay() {
        return drain().onFailure().invoke(e -> LOG.warnf("outbox relay failed, will retry: %s", e.getClass().getSimpleName()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Publishes batches until one is not full; the number of events published. */
    public Uni<Long> drain() {
        return Multi.createBy().repeating().uni(this::batch).whilst(published -> published == BATCH)
                .collect().with(Collectors.summingLong(Integer::longValue));
    }

    /** Publishes one batch; the number of events in it. */
    private Uni<Integer> batch() {
        return database.withTransaction(connection -> connection
                .preparedQuery("SELECT id, topic, event_key, event FROM outbox WHERE published_at IS NULL "
                        + "ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED")
                .execute(Tuple.of(BATCH))
                .flatMap(rows -> {
                    List<Long> ids = new ArrayList<>();
                    List<Uni<Void>> sends = new ArrayList<>();
                    for (Row row : rows) {
                        ids.add(row.getLong("id"));
                        CloudEvent event = deserializer.deserialize(row.getString("topic"),
                                row.getString("event").getBytes(StandardCharsets.UTF_8));
                        sends.add(memberships.sendMessage(Message.of(event).addMetadata(OutgoingKafkaRecordMetadata
                                .<String>builder().withTopic(row.getString("topic")).withKey(row.getString("event_key")).build())));
                    }
                    if (ids.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    return Uni.join().all(sends).andFailFast()
                            .flatMap(sent -> connection.preparedQuery("UPDATE outbox SET published_at = now() WHERE id = ANY($1)")
                                    .execute(Tuple.of(ids.toArray(new Long[0]))))
                            .invoke(() -> LOG.debugf("published %d outbox events", ids.size()))
                            .replaceWith(ids.size());
                }));
    }
}
