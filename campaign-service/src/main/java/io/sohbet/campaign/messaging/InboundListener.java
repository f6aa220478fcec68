package io.sohbet.campaign.messaging;

import io.smallrye.mutiny.Uni;
import io.sohbet.campaign.service.CustomerWindows;
import io.sohbet.events.Channels;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.payload.WaInbound;
import io.sohbet.kit.keys.ErasedSubjects;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Customers' messages from {@code wa.inbound}, for the 24-hour customer service window: only who wrote and when is
 * kept ({@link CustomerWindows}), never what. A message older than 24 hours on arrival opens no window and is dropped;
 * so is one about a person erased since ({@link ErasedSubjects}: it would bring them back). System notices (a number
 * change) are not the customer writing.
 */
@ApplicationScoped
public class InboundListener {

    private final CustomerWindows windows;
    private final ErasedSubjects erased;

    public InboundListener(CustomerWindows windows, ErasedSubjects erased) {
        this.windows = windows;
        this.erased = erased;
    }

    @Incoming(Channels.WA_INBOUND_IN)
    public Uni<Void> inbound(List<CloudEvent> events) {
        Instant windowStart = Instant.now().minus(Duration.ofHours(24));
        List<CustomerWindows.Inbound> messages = new ArrayList<>();
        for (CloudEvent event : events) {
            WaInbound m = event.dataAs(WaInbound.class);
            if (m == null || event.subject() == null || event.subject().isEmpty() || "system".equals(m.messageType())) {
                continue;
            }
            Instant at = m.timestamp() != null ? m.timestamp() : event.time();
            if (at != null && at.isAfter(windowStart)) {
                messages.add(new CustomerWindows.Inbound(event.subject(), at));
            }
        }
        if (messages.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return erased.keepAll(messages, CustomerWindows.Inbound::subjectId, CustomerWindows.Inbound::at).flatMap(windows::record);
    }
}
