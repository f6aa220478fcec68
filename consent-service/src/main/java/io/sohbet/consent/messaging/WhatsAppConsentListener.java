package io.sohbet.consent.messaging;

import io.smallrye.faulttolerance.api.ApplyGuard;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.service.KeyVault;
import io.sohbet.consent.service.SelfService;
import io.sohbet.consent.service.WhatsAppRevocations;
import io.sohbet.events.Channels;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.payload.WaInbound;
import io.sohbet.events.payload.WaPreference;
import io.sohbet.kit.messaging.ConsumerRetry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consent withdrawn (or resumed) on WhatsApp: stop-word replies and Meta's marketing preference; and self-service
 * keywords and confirmation taps ({@link SelfService}). One that happened
 * before the person's erasure (a late or retried event) is dropped: it would bring them back as a new key and entry.
 */
@ApplicationScoped
@ApplyGuard(ConsumerRetry.GUARD) // transient failures are retried before the dead-letter topic
public class WhatsAppConsentListener {

    private final WhatsAppRevocations revocations;
    private final KeyVault keys;
    private final SelfService selfService;

    public WhatsAppConsentListener(WhatsAppRevocations revocations, KeyVault keys, SelfService selfService) {
        this.revocations = revocations;
        this.keys = keys;
        this.selfService = selfService;
    }

    private Uni<Void> unlessErased(CloudEvent event, java.time.Instant happenedAt, java.util.function.Supplier<Uni<?>> handle) {
        return keys.erasedSince(event.subject(), happenedAt == null ? event.time() : happenedAt)
                .flatMap(erased -> erased ? Uni.createFrom().voidItem() : handle.get().replaceWithVoid());
    }

    @Incoming(Channels.WA_INBOUND_IN)
    public Uni<Void> onInbound(CloudEvent event) {
        WaInbound message = event.dataAs(WaInbound.class);
        Uni<Void> stop = !revocations.mayStop(message) ? Uni.createFrom().voidItem()
                : unlessErased(event, message.timestamp(), () -> revocations.onInbound(event.id(), event.subject(), message));
        // a keyword is never a stop phrase (SelfServiceKeywords), so at most one of the two does something
        return !selfService.concerns(message) ? stop : stop.chain(() -> unlessErased(event, message.timestamp(),
                () -> selfService.onInbound(event.id(), event.subject(), message,
                        message.timestamp() == null ? event.time() : message.timestamp())));
    }

    @Incoming(Channels.WA_PREFERENCE_IN)
    public Uni<Void> onPreference(CloudEvent event) {
        WaPreference preference = event.dataAs(WaPreference.class);
        if (!"marketing_messages".equals(preference.category())) {
            return Uni.createFrom().voidItem();
        }
        return unlessErased(event, preference.timestamp(),
                () -> revocations.onPreference(event.id(), event.subject(), preference.value(), preference.timestamp()));
    }
}
