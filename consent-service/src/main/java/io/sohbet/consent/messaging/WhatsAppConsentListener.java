package io.sohbet.consent.messaging;

import io.smallrye.mutiny.Uni;
import io.sohbet.consent.service.WhatsAppRevocations;
import io.sohbet.events.Channels;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.payload.WaInbound;
import io.sohbet.events.payload.WaPreference;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Consent withdrawn (or resumed) on WhatsApp: stop-word replies and Meta's marketing preference. */
@ApplicationScoped
public class WhatsAppConsentListener {

    private final WhatsAppRevocations revocations;

    public WhatsAppConsentListener(WhatsAppRevocations revocations) {
        this.revocations = revocations;
    }

    @Incoming(Channels.WA_INBOUND_IN)
    public Uni<Void> onInbound(CloudEvent event) {
        WaInbound message = event.dataAs(WaInbound.class);
        if (!"text".equals(message.messageType())) {
            return Uni.createFrom().voidItem();
        }
        return revocations.onReply(event.id(), event.subject(), message.wamid(), message.text(), message.timestamp())
                .replaceWithVoid();
    }

    @Incoming(Channels.WA_PREFERENCE_IN)
    public Uni<Void> onPreference(CloudEvent event) {
        WaPreference preference = event.dataAs(WaPreference.class);
        if (!"marketing_messages".equals(preference.category())) {
            return Uni.createFrom().voidItem();
        }
        return revocations.onPreference(event.id(), event.subject(), preference.value(), preference.timestamp())
                .replaceWithVoid();
    }
}
