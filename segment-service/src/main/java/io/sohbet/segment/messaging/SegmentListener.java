package io.sohbet.segment.messaging;

import io.smallrye.faulttolerance.api.ApplyGuard;
import io.smallrye.mutiny.Uni;
import io.sohbet.events.Channels;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.payload.CampaignMessage;
import io.sohbet.events.payload.CommerceEvent;
import io.sohbet.events.payload.ConsentChange;
import io.sohbet.events.payload.LinkClick;
import io.sohbet.events.payload.WaInbound;
import io.sohbet.events.payload.WaStatus;
import io.sohbet.kit.keys.ErasedSubjects;
import io.sohbet.kit.messaging.ConsumerRetry;
import io.sohbet.segment.service.ConsentStates;
import io.sohbet.segment.service.SegmentFacts;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * What profiles are built from; each event updates its subject's profile and segments in one transaction. An event
 * about a person that happened before they were erased is dropped ({@link ErasedSubjects}): it would bring them back.
 * Consent changes keep the subject's marketing and profiling consent ({@link ConsentStates}).
 */
@ApplicationScoped
@ApplyGuard(ConsumerRetry.GUARD) // transient failures are retried before the dead-letter topic
public class SegmentListener {

    private final SegmentFacts facts;
    private final ErasedSubjects erased;
    private final ConsentStates consents;

    public SegmentListener(SegmentFacts facts, ErasedSubjects erased, ConsentStates consents) {
        this.facts = facts;
        this.erased = erased;
        this.consents = consents;
    }


    @Incoming(Channels.WA_INBOUND_IN)
    public Uni<Void> inbound(CloudEvent e) {
        WaInbound m = e.dataAs(WaInbound.class);
        return erased.unlessErased(e, m.timestamp(), () -> facts.inbound(e.id(), e.subject(), m));
    }

    @Incoming(Channels.WA_STATUS_IN)
    public Uni<Void> status(CloudEvent e) {
        WaStatus s = e.dataAs(WaStatus.class);
        return erased.unlessErased(e, s.timestamp(), () -> facts.status(e.id(), e.subject(), s));
    }

    @Incoming(Channels.LINK_CLICK_IN)
    public Uni<Void> click(CloudEvent e) {
        LinkClick c = e.dataAs(LinkClick.class);
        return erased.unlessErased(e, c.clickedAt(), () -> facts.click(e.id(), e.subject(), c));
    }

    @Incoming(Channels.CAMPAIGN_MESSAGE_IN)
    public Uni<Void> campaignMessage(CloudEvent e) {
        CampaignMessage m = e.dataAs(CampaignMessage.class);
        return erased.unlessErased(e, m.sentAt(), () -> facts.campaignMessage(e.subject(), m));
    }

    @Incoming(Channels.COMMERCE_EVENT_IN)
    public Uni<Void> commerce(CloudEvent e) {
        CommerceEvent c = e.dataAs(CommerceEvent.class);
        return erased.unlessErased(e, c.occurredAt(), () -> facts.commerce(e.subject(), c));
    }

    @Incoming(Channels.CONSENT_CHANGE_IN)
    public Uni<Void> consent(CloudEvent e) {
        ConsentChange c = e.dataAs(ConsentChange.class);
        return erased.unlessErased(e, c.changedAt(), () -> consents.changed(e.id(), e.subject(), c));
    }
}
