package io.sohbet.campaign.messaging;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.sohbet.events.Channels;
import io.sohbet.events.CloudEvent;
import io.sohbet.kit.OutboxDrain;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * Publishes the outbox ({@link OutboxDrain}: the send queue retention's {@code privacy.destruction} events) every 5
 * seconds until it is empty, once the application is running; replicas share the rows ({@code SKIP LOCKED}). The
 * events are few (one per retention transaction that deleted anything) and keyed by the service: consent-service
 * records each run once, by its id, whatever their order.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final OutboxDrain outbox;

    public OutboxRelay(Pool database, @Channel(Channels.PRIVACY_DESTRUCTION_OUT) MutinyEmitter<CloudEvent> destructions) {
        this.outbox = new OutboxDrain(database, destructions);
    }

    @Scheduled(every = "${sohbet.campaign.outbox-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> relay() {
        return drain().onFailure().invoke(e -> LOG.warnf("outbox relay failed, will retry: %s", e.getClass().getSimpleName()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Publishes until the outbox is empty; the number of events this call published. */
    public Uni<Long> drain() {
        return outbox.drain();
    }
}
