package io.sohbet.consent.messaging;

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
 * Publishes the outbox ({@link OutboxDrain}) every {@code sohbet.consent.outbox-interval} (1s), until it is empty; not
 * before the application is running, when messaging has registered and connected the emitter.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final OutboxDrain outbox;

    public OutboxRelay(Pool database, @Channel(Channels.CONSENT_CHANGE_OUT) MutinyEmitter<CloudEvent> consentChanges) {
        this.outbox = new OutboxDrain(database, consentChanges);
    }

    @Scheduled(every = "${sohbet.consent.outbox-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
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
