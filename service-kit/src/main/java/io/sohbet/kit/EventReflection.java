package io.sohbet.kit;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.payload.AuditHead;
import io.sohbet.events.payload.CampaignMessage;
import io.sohbet.events.payload.CommerceEvent;
import io.sohbet.events.payload.ConsentChange;
import io.sohbet.events.payload.LinkClick;
import io.sohbet.events.payload.PrivacyDestruction;
import io.sohbet.events.payload.PrivacyErasure;
import io.sohbet.events.payload.PrivacyErasureAck;
import io.sohbet.events.payload.SegmentMembership;
import io.sohbet.events.payload.WaAccount;
import io.sohbet.events.payload.WaContact;
import io.sohbet.events.payload.WaError;
import io.sohbet.events.payload.WaInbound;
import io.sohbet.events.payload.WaPreference;
import io.sohbet.events.payload.WaStatus;

/**
 * The event envelope and payload records that Jackson reads and writes on the Kafka path, registered for reflection
 * so that a native image keeps their constructors and accessors. Quarkus registers the types of REST signatures by
 * itself, but not these: they only ever pass through {@code EventJson.MAPPER}. Nested records (an order's items,
 * a customer) are registered with their outer record. {@code EventReflectionTest} fails when a payload is added to
 * {@code io.sohbet.events.payload} without being listed here.
 */
@RegisterForReflection(targets = {CloudEvent.class, AuditHead.class, CampaignMessage.class, CommerceEvent.class, ConsentChange.class,
        LinkClick.class, PrivacyDestruction.class, PrivacyErasure.class, PrivacyErasureAck.class, SegmentMembership.class, WaAccount.class,
        WaContact.class, WaError.class, WaInbound.class, WaPreference.class, WaStatus.class},
        classNames = EventReflection.ENVELOPE)
public final class EventReflection {

    /** The one-pass serialiser's envelope, package-private in the events module. */
    static final String ENVELOPE = "io.sohbet.events.CloudEventSerializer$Envelope";

    private EventReflection() {
    }
}
