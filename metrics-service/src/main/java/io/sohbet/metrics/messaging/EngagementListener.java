package io.sohbet.metrics.messaging;

import io.smallrye.mutiny.Uni;
import io.sohbet.events.Channels;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.payload.CampaignMessage;
import io.sohbet.events.payload.CommerceEvent;
import io.sohbet.events.payload.ConsentChange;
import io.sohbet.events.payload.LinkClick;
import io.sohbet.events.payload.SegmentMembership;
import io.sohbet.events.payload.WaInbound;
import io.sohbet.events.payload.WaStatus;
import io.sohbet.metrics.service.EngagementFacts;
import io.sohbet.metrics.service.Feedback;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.List;
import java.util.Map;

/**
 * Everything metrics are computed from, stored as it arrives. Each write is idempotent, so the offset is committed
 * after the write and a redelivery changes nothing (at-least-once, counted once).
 */
@ApplicationScoped
public class EngagementListener {

    private final EngagementFacts facts;
    private final Feedback feedback;

    public EngagementListener(EngagementFacts facts, Feedback feedback) {
        this.facts = facts;
        this.feedback = feedback;
    }

    /** Statuses are most of the traffic: they come in batches (one poll) and are written in one round. */
    @Incoming(Channels.WA_STATUS_IN)
    public Uni<Void> statuses(List<CloudEvent> events) {
        return facts.statuses(events.stream().map(e -> Map.entry(e.subject() == null ? "" : e.subject(), e.dataAs(WaStatus.class)))
                .toList());
    }

    @Incoming(Channels.CAMPAIGN_MESSAGE_IN)
    public Uni<Void> campaignMessage(CloudEvent event) {
        return facts.campaignMessage(event.subject(), event.dataAs(CampaignMessage.class));
    }

    /** The reply as a fact, then what its text says (feedback insights, survey digits). */
    @Incoming(Channels.WA_INBOUND_IN)
    public Uni<Void> inbound(CloudEvent event) {
        WaInbound message = event.dataAs(WaInbound.class);
        return facts.inbound(event.subject(), message).chain(() -> feedback.reply(event.subject(), message));
    }

    @Incoming(Channels.LINK_CLICK_IN)
    public Uni<Void> click(CloudEvent event) {
        return facts.click(event.id(), event.subject(), event.dataAs(LinkClick.class));
    }

    @Incoming(Channels.COMMERCE_EVENT_IN)
    public Uni<Void> commerce(CloudEvent event) {
        return facts.commerce(event.subject(), event.dataAs(CommerceEvent.class));
    }

    @Incoming(Channels.CONSENT_CHANGE_IN)
    public Uni<Void> consent(CloudEvent event) {
        ConsentChange change = event.dataAs(ConsentChange.class);
        if (!"marketing".equals(change.purpose()) || !ConsentChange.REVOKED.equals(change.state())) {
            return Uni.createFrom().voidItem();
        }
        return facts.optOut(event.id(), event.subject(), change.changedAt() == null ? event.time() : change.changedAt(),
                change.source());
    }

    @Incoming(Channels.SEGMENT_MEMBERSHIP_IN)
    public Uni<Void> membership(CloudEvent event) {
        SegmentMembership m = event.dataAs(SegmentMembership.class);
        return facts.membership(event.subject(), m.segmentId(), m.change(), m.at());
    }
}
