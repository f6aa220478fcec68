package io.sohbet.segment.messaging;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.sohbet.events.Channels;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.Topics;
import io.sohbet.kit.OutboxDrain;
import io.sohbet.segment.service.Memberships;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * Publishes the outbox ({@link OutboxDrain}: the retention job's destruction records, and membership events written by
 * the previous version), then the membership outbox (the same drain over {@code membership_outbox}), every
 * {@code sohbet.segment.outbox-interval} (1s), until both are empty; not
 * before the application is running, when messaging has registered and connected the emitter. One relay at a time
 * across replicas (a PostgreSQL advisory lock, held by a connection of its own while it drains): two relays claiming
 * consecutive batches could publish a person's {@code left} before their {@code entered}.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    /** The key of the relay's advisory lock. */
    static final long RELAY_LOCK = 0x5e6_0003L;

    private final OutboxDrain outbox;
    private final OutboxDrain membershipOutbox;
    private final Pool database;

    public OutboxRelay(Pool database, @Channel(Channels.SEGMENT_MEMBERSHIP_OUT) MutinyEmitter<CloudEvent> memberships) {
        this.outbox = new OutboxDrain(database, memberships);
        // the compact membership rows (segment, subject, entered, at): each row's event is written here, not stored
        this.membershipOutbox = new OutboxDrain(database, memberships, new OutboxDrain.Source("membership_outbox",
                "segment_id, subject_id, entered, at", row -> new OutboxDrain.Outgoing(Topics.SEGMENT_MEMBERSHIP, row.getString("subject_id"),
                        Memberships.event(row.getString("segment_id"), row.getString("subject_id"), row.getBoolean("entered"),
                                row.getOffsetDateTime("at").toInstant()))));
        this.database = database;
    }

    @Scheduled(every = "${sohbet.segment.outbox-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> relay() {
        return drain().onFailure().invoke(e -> LOG.warnf("outbox relay failed, will retry: %s", e.getClass().getSimpleName()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /**
     * Publishes until both outboxes are empty, once no other relay runs; the number of events this call published. The
     * outbox goes first: a membership event the previous version left there precedes any written since.
     */
    public Uni<Long> drain() {
        return database.withConnection(lock -> lock.query("SELECT pg_advisory_lock(" + RELAY_LOCK + ")").execute()
                .chain(() -> outbox.drain().flatMap(published -> membershipOutbox.drain().map(more -> published + more))
                        .eventually(() -> lock.query("SELECT pg_advisory_unlock(" + RELAY_LOCK + ")").execute())));
    }
}
