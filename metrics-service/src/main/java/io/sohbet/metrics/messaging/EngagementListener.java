package io.sohbet.metrics.messaging;

import io.smallrye.faulttolerance.api.ApplyGuard;
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
import io.sohbet.kit.keys.ErasedSubjects;
import io.sohbet.kit.messaging.ConsumerRetry;
import io.sohbet.metrics.service.EngagementFacts;
import io.sohbet.metrics.service.Feedback;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything metrics are computed from, stored as it arrives. Each write is idempotent, so the offset is committed
 * after the write and a redelivery changes nothing (at-least-once, counted once). An event about a person that
 * happened before they were erased is dropped ({@link ErasedSubjects}): it would bring them back.
 */
@ApplicationScoped
@ApplyGuard(ConsumerRetry.GUARD) // transient failures are retried before the dead-letter topic
public class EngagementListener {

    private final EngagementFacts facts;
    private final Feedback feedback;
    private final ErasedSubjects erased;

    public EngagementListener(EngagementFacts facts, Feedback feedback, ErasedSubjects erased) {
        this.facts = facts;
        this.feedback = feedback;
        this.erased = erased;
    }


    /** Statuses are most of the traffic: they come in batches (one poll) and are written in one round. */
    @Incoming(Channels.WA_STATUS_IN)
    public Uni<Void> statuses(List<CloudEvent> events) {
        List<Map.Entry<CloudEvent, WaStatus>> statuses = events.stream().map(e -> Map.entry(e, e.dataAs(WaStatus.class))).toList();
        return erased.keepAll(statuses, s -> s.getKey().subject(),
                        s -> s.getValue().timestamp() != null ? s.getValue().timestamp() : s.getKey().time())
                .flatMap(kept -> facts.statuses(kept.stream()
                        .map(s -> Map.entry(s.getKey().subject() == null ? "" : s.getKey().subject(), s.getValue())).toList()));
    }

    @Incoming(Channels.CAMPAIGN_MESSAGE_IN)
    public Uni<Void> campaignMessage(CloudEvent event) {
        CampaignMessage message = event.dataAs(CampaignMessage.class);
        return erased.unlessErased(event, message.sentAt(), () -> facts.campaignMessage(event.subject(), message));
    }

    /** The reply as a fact, then what its text says (feedback insights, survey digits). */
    @Incoming(Channels.WA_INBOUND_IN)
    public Uni<Void> inbound(CloudEvent event) {
        WaInbound message = event.dataAs(WaInbound.class);
        return erased.unlessErased(event, message.timestamp(),
                () -> facts.inbound(event.subject(), message).chain(() -> feedback.reply(event.subject(), message)));
    }

    @Incoming(Channels.LINK_CLICK_IN)
    public Uni<Void> click(CloudEvent event) {
        LinkClick click = event.dataAs(LinkClick.class);
        return erased.unlessErased(event, click.clickedAt(), () -> facts.click(event.id(), event.subject(), click));
    }

    @Incoming(Channels.COMMERCE_EVENT_IN)
    public Uni<Void> commerce(CloudEvent event) {
        CommerceEvent commerce = event.dataAs(CommerceEvent.class);
        return erased.unlessErased(event, commerce.occurredAt(), () -> facts.commerce(event.subject(), commerce));
    }

    @Incoming(Channels.CONSENT_CHANGE_IN)
    public Uni<Void> consent(CloudEvent event) {
        ConsentChange change = event.dataAs(ConsentChange.class);
        if (!"marketing".equals(change.purpose()) || !ConsentChange.REVOKED.equals(change.state())) {
            return Uni.createFrom().voidItem();
        }
        Instant at = change.changedAt() == null ? event.time() : change.changedAt();
        return erased.unlessErased(event, at, () -> facts.optOut(event.id(), event.subject(), at, change.source()));
    }

    @Incoming(Channels.SEGMENT_MEMBERSHIP_IN)
    public Uni<Void> membership(CloudEvent event) {
        SegmentMembership m = event.dataAs(SegmentMembership.class);
        return erased.unlessErased(event, m.at(), () -> facts.membership(event.subject(), m.segmentId(), m.change(), m.at()));
    }
}
