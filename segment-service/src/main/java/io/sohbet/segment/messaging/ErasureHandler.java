package io.sohbet.segment.messaging;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.Record;
import io.sohbet.events.Channels;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.PrivacyErasure;
import io.sohbet.events.payload.PrivacyErasureAck;
import io.sohbet.kit.keys.ErasureAcknowledgement;
import io.sohbet.kit.keys.SubjectKeys;
import io.sohbet.segment.config.SegmentConfig;
import io.sohbet.segment.domain.ProcessedEvent;
import io.sohbet.segment.repository.ProcessedEventRepository;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Outgoing;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;

/**
 * Carries out a data-subject erasure: deletes the subject's rows from every table that has a {@code subject_id}
 * column (so a table added later is covered without touching this class) and records the request, in one
 * transaction; then publishes the acknowledgement. The incoming record is committed only once the acknowledgement
 * is on Kafka. A redelivered request deletes nothing more and is acknowledged again (same event id).
 */
@ApplicationScoped
public class ErasureHandler {

    private static final Logger LOG = Logger.getLogger(ErasureHandler.class);

    private final ProcessedEventRepository processed;
    private final SubjectKeys keys;
    private final String service;

    public ErasureHandler(ProcessedEventRepository processed, SubjectKeys keys, SegmentConfig config) {
        this.processed = processed;
        this.keys = keys;
        this.service = config.serviceName();
    }

    @Incoming(Channels.PRIVACY_ERASURE_IN)
    @Outgoing(Channels.PRIVACY_ERASURE_ACK_OUT)
    public Uni<Record<String, CloudEvent>> erase(CloudEvent event) {
        PrivacyErasure erasure = event.dataAs(PrivacyErasure.class);
        String subject = event.subject();
        keys.evict(subject);
        // first wait until no replica can hold the key or take the person for "not erased" any more, then delete:
        // an event that slipped past the erasure check before the delete cannot be written after it
        return ErasureAcknowledgement.whenKeysForgotten(keys).chain(() -> Panache.withTransaction(() -> processed.findById(event.id())
                .flatMap(done -> done != null
                        ? Uni.createFrom().item(0L)
                        : Panache.getSession().flatMap(session -> deleteEverywhere(session, subject))
                                .call(() -> processed.persist(ProcessedEvent.of(event.id(), Instant.now()))))))
                .invoke(deleted -> LOG.infof("erasure request %s: %d rows deleted", erasure.requestId(), deleted))
                .map(deleted -> {
                    Instant now = Instant.now();
                    return Record.of(subject, CloudEvent.of(Topics.PRIVACY_ERASURE_ACK,
                            "ack:" + erasure.requestId() + ":" + service, "/sohbet/" + service, now, subject,
                            new PrivacyErasureAck(erasure.requestId(), service, now, deleted)));
                });
    }

    @SuppressWarnings("unchecked")
    static Uni<Long> deleteEverywhere(Mutiny.Session session, String subject) {
        return session.createNativeQuery("SELECT CAST(table_name AS text) FROM information_schema.columns "
                        + "WHERE table_schema = current_schema() AND column_name = 'subject_id' ORDER BY 1", String.class)
                .getResultList()
                .flatMap(tables -> Multi.createFrom().iterable((List<String>) tables)
                        .onItem().transformToUniAndConcatenate(table -> session.createNativeQuery(
                                "DELETE FROM \"" + table.replace("\"", "") + "\" WHERE subject_id = ?1")
                                .setParameter(1, subject).executeUpdate())
                        .collect().with(java.util.stream.Collectors.summingLong(Integer::longValue)));
    }
}
