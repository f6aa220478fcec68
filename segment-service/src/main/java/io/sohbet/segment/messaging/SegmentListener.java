package io.sohbet.segment.messaging;

import io.smallrye.mutiny.Uni;
import io.sohbet.events.Channels;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.payload.CampaignMessage;
import io.sohbet.events.payload.CommerceEvent;
import io.sohbet.events.payload.LinkClick;
import io.sohbet.events.payload.WaInbound;
import io.sohbet.events.payload.WaStatus;
import io.sohbet.segment.service.SegmentFacts;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** What profiles are built from; each event updates its subject's profile and segments in one transaction. */
@ApplicationScoped
public class SegmentListener {

    private final SegmentFacts facts;

    public SegmentListener(SegmentFacts facts) {
        this.facts = facts;
    }

    @Incoming(Channels.WA_INBOUND_IN)
    public Uni<Void> inbound(CloudEvent e) {
        return facts.inbound(e.id(), e.subject(), e.dataAs(WaInbound.class));
    }

    @Incoming(Channels.WA_STATUS_IN)
    public Uni<Void> status(CloudEvent e) {
        return facts.status(e.id(), e.subject(), e.dataAs(WaStatus.class));
    }

    @Incoming(Channels.LINK_CLICK_IN)
    public Uni<Void> click(CloudEvent e) {
        return facts.click(e.id(), e.subject(), e.dataAs(LinkClick.class));
    }

    @Incoming(Channels.CAMPAIGN_MESSAGE_IN)
    public Uni<Void> campaignMessage(CloudEvent e) {
        return facts.campaignMessage(e.subject(), e.dataAs(CampaignMessage.class));
    }

    @Incoming(Channels.COMMERCE_EVENT_IN)
    public Uni<Void> commerce(CloudEvent e) {
        return facts.commerce(e.subject(), e.dataAs(CommerceEvent.class));
    }
}
