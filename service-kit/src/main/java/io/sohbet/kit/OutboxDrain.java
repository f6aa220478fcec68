package io.sohbet.kit;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.CloudEventDeserializer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Publishes a service's transactional outbox (table {@code outbox}: id, topic, event_key, event) and deletes what it
 * published. Claims a batch of rows ({@code FOR UPDATE SKIP LOCKED}, so replicas share the work), sends them in id
 * order, waits for Kafka's acknowledgements and deletes them in the same transaction: a published event leaves nothing
 * behind (its subject id and content live on only in Kafka, under the topic's retention). Then the next batch, until
 * one is not full (one batch per scheduler tick would publish 500 events a second: a first segment evaluation's 2.5
 * million would take 85 minutes). A failure or crash after the send and before the commit leaves the rows in place, so
 * the batch is published again: consumers drop the duplicates by event id. Nothing is claimed until the channel has
 * been connected once (its Kafka sink subscribed and asking for records): a send before that would fail. Its relay
 * runs only once the application is running (the scheduler starts before SmallRye Reactive Messaging registers the
 * emitters; creating the relay earlier fails with SRMSG00019).
 * <p>
 * Another table of the same kind (an id column, rows deleted once published) is drained the same way with a
 * {@link Source} that names its columns and turns a row into its record, e.g. segment-service's compact membership outbox.
 */
public final class OutboxDrain {

    /** A record to publish: its topic, key and event. */
    public record Outgoing(String topic, String key, CloudEvent event) {
    }

    /**
     * A table drained in {@code id} order: the columns to read (besides {@code id}) and the record each row becomes.
     */
    public record Source(String table, String columns, Function<Row, Outgoing> record) {
    }

    public static final int BATCH = 500;

    private static final Logger LOG = Logger.getLogger(OutboxDrain.class);

    private final Pool database;
    private final MutinyEmitter<CloudEvent> emitter;
    private final Source source;
    private volatile boolean connected;

    /** The service's {@code outbox} (id, topic, event_key, event as JSON text). */
    public OutboxDrain(Pool database, MutinyEmitter<CloudEvent> emitter) {
        this(database, emitter, outbox());
    }

    /** @param emitter any outgoing Kafka channel of the service: each record names its own topic */
    public OutboxDrain(Pool database, MutinyEmitter<CloudEvent> emitter, Source source) {
        this.database = database;
        this.emitter = emitter;
        this.source = source;
    }

    private static Source outbox() {
        CloudEventDeserializer deserializer = new CloudEventDeserializer();
        return new Source("outbox", "topic, event_key, event", row -> new Outgoing(row.getString("topic"), row.getString("event_key"),
                deserializer.deserialize(row.getString("topic"), row.getString("event").getBytes(StandardCharsets.UTF_8))));
    }

    /** Publishes batches until one is not full; the number of events this call published (0 if not yet connected). */
    public Uni<Long> drain() {
        if (!connected()) {
            LOG.debug("outbox not drained: its channel is not connected yet");
            return Uni.createFrom().item(0L);
        }
        return Multi.createBy().repeating().uni(this::batch).whilst(published -> published == BATCH)
                .collect().with(Collectors.summingLong(Integer::longValue));
    }

    /** Whether the emitter's downstream has subscribed and requested; once true, send failures are the batch's. */
    private boolean connected() {
        if (!connected && emitter.hasRequests()) {
            connected = true;
        }
        return connected;
    }

    /** Publishes one batch and deletes it once Kafka acknowledged every event; the number of events in it. */
    private Uni<Integer> batch() {
        return database.withTransaction(connection -> connection
                .preparedQuery("SELECT id, " + source.columns() + " FROM " + source.table() + " ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED")
                .execute(Tuple.of(BATCH))
                .flatMap(rows -> {
                    List<Long> ids = new ArrayList<>();
                    List<Uni<Void>> sends = new ArrayList<>();
                    for (Row row : rows) {
                        ids.add(row.getLong("id"));
                        Outgoing record = source.record().apply(row);
                        sends.add(emitter.sendMessage(Message.of(record.event()).addMetadata(OutgoingKafkaRecordMetadata
                                .<String>builder().withTopic(record.topic()).withKey(record.key()).build())));
                    }
                    if (ids.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    return Uni.join().all(sends).andFailFast()
                            .flatMap(sent -> connection.preparedQuery("DELETE FROM " + source.table() + " WHERE id = ANY($1)")
                                    .execute(Tuple.of(ids.toArray(new Long[0]))))
                            .replaceWith(ids.size());
                }));
    }
}
