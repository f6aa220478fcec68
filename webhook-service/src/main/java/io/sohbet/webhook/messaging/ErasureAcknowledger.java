package io.sohbet.webhook.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.Record;
import io.sohbet.events.Channels;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.PrivacyErasure;
import io.sohbet.events.payload.PrivacyErasureAck;
import io.sohbet.kit.keys.ErasureAcknowledgement;
import io.sohbet.kit.keys.SubjectKeys;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Outgoing;
import org.jboss.logging.Logger;

import java.time.Instant;

/**
 * webhook-service keeps no data about subjects in its database (it publishes what it receives and keeps only shop
 * event ids); an erasure drops the subject's data key from this replica's cache at once and is acknowledged once
 * no replica can still hold it ({@link ErasureAcknowledgement}), so nothing is sealed with the destroyed key
 * afterwards. The incoming record is committed only after the acknowledgement is on Kafka.
 */
@ApplicationScoped
public class ErasureAcknowledger {

    private final SubjectKeys keys;

    public ErasureAcknowledger(SubjectKeys keys) {
        this.keys = keys;
    }

    static final String SERVICE = "webhook-service";
    private static final Logger LOG = Logger.getLogger(ErasureAcknowledger.class);

    @Incoming(Channels.PRIVACY_ERASURE_IN)
    @Outgoing(Channels.PRIVACY_ERASURE_ACK_OUT)
    public Uni<Record<String, CloudEvent>> acknowledge(CloudEvent event) {
        PrivacyErasure erasure = event.dataAs(PrivacyErasure.class);
        keys.evict(event.subject());
        return ErasureAcknowledgement.whenKeysForgotten(keys).map(done -> {
            Instant now = Instant.now();
            LOG.infof("erasure request %s: key cache entries gone, acknowledged", erasure.requestId());
            return Record.of(event.subject(), CloudEvent.of(Topics.PRIVACY_ERASURE_ACK,
                    "ack:" + erasure.requestId() + ":" + SERVICE, "/sohbet/" + SERVICE, now, event.subject(),
                    new PrivacyErasureAck(erasure.requestId(), SERVICE, now, 0)));
        });
    }
}
