package io.sohbet.segment.messaging;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.Topics;
import io.sohbet.kit.OutboxDrain;
import io.sohbet.segment.service.Memberships;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Publishes the membership outbox ({@code membership_outbox}: one compact row per change) as {@code segment.membership}
 * events, the way {@link OutboxDrain} publishes the outbox: claims a batch in id order ({@code FOR UPDATE SKIP LOCKED}),
 * writes each row's event ({@link Memberships#event}), sends them keyed by the subject, waits for Kafka's
 * acknowledgements and deletes the batch in the same transaction; then the next batch, until one is not full. A failure
 * or crash after the send and before the commit leaves the rows in place: the batch is published again, with the same
 * event ids, and consumers drop the repeats. Nothing is claimed until the channel has been connected once (its Kafka
 * sink subscribed and asking for records), as in {@link OutboxDrain}.
 */
final class MembershipOutboxDrain {

    private final Pool database;
    private final MutinyEmitter<CloudEvent> emitter;
    private volatile boolean connected;

    MembershipOutboxDrain(Pool database, MutinyEmitter<CloudEvent> emitter) {
        this.database = database;
        this.emitter = emitter;
    }

    /** Publishes batches until one is not full; the number of events published (0 if not yet connected). */
    Uni<Long> drain() {
        if (!connected && emitter.hasRequests()) {
            connected = true;
        }
        if (!connected) {
            return Uni.createFrom().item(0L);
        }
        return Multi.createBy().repeating().uni(this::batch).whilst(published -> published == OutboxDrain.BATCH)
                .collect().with(Collectors.summingLong(Integer::longValue));
    }

    private Uni<Integer> batch() {
        return database.withTransaction(connection -> connection
                .preparedQuery("SELECT id, segment_id, subject_id, entered, at FROM membership_outbox ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED")
                .execute(Tuple.of(OutboxDrain.BATCH))
                .flatMap(rows -> {
                    List<Long> ids = new ArrayList<>();
                    List<Uni<Void>> sends = new ArrayList<>();
                    for (Row row : rows) {
                        ids.add(row.getLong("id"));
                        String subject = row.getString("subject_id");
                        CloudEvent event = Memberships.event(row.getString("segment_id"), subject, row.getBoolean("entered"),
                                row.getOffsetDateTime("at").toInstant());
                        sends.add(emitter.sendMessage(Message.of(event).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                                .withTopic(Topics.SEGMENT_MEMBERSHIP).withKey(subject).build())));
                    }
                    if (ids.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    return Uni.join().all(sends).andFailFast()
                            .flatMap(sent -> connection.preparedQuery("DELETE FROM membership_outbox WHERE id = ANY($1)")
                                    .execute(Tuple.of(ids.toArray(new Long[0]))))
                            .replaceWith(ids.size());
                }));
    }
}
