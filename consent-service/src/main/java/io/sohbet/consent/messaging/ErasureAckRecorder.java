package io.sohbet.consent.messaging;

import io.smallrye.faulttolerance.api.ApplyGuard;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.domain.ErasureAck;
import io.sohbet.consent.repository.Database;
import io.sohbet.consent.repository.ErasureAckRepository;
import io.sohbet.consent.service.DataSubjectRequests;
import io.sohbet.consent.service.DestructionRecords;
import io.sohbet.events.Channels;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.payload.PrivacyErasureAck;
import io.sohbet.kit.messaging.ConsumerRetry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Records each service's erasure acknowledgement and completes the request when the last participant has acked. The (request, service) key makes redeliveries harmless: the first
 * acknowledgement is kept, and written as a KVKK destruction record of that service's data ({@link DestructionRecords}).
 */
@ApplicationScoped
@ApplyGuard(ConsumerRetry.GUARD) // transient failures are retried before the dead-letter topic
public class ErasureAckRecorder {

    private final Database database;
    private final ErasureAckRepository acks;
    private final DataSubjectRequests requests;
    private final DestructionRecords destructions;

    public ErasureAckRecorder(Database database, ErasureAckRepository acks, DataSubjectRequests requests,
            DestructionRecords destructions) {
        this.database = database;
        this.acks = acks;
        this.requests = requests;
        this.destructions = destructions;
    }

    @Incoming(Channels.PRIVACY_ERASURE_ACK_IN)
    public Uni<Void> record(CloudEvent event) {
        PrivacyErasureAck ack = event.dataAs(PrivacyErasureAck.class);
        ErasureAck.Key key = new ErasureAck.Key(ack.requestId(), ack.service());
        return database.inTransaction(() -> acks.findById(key).flatMap(existing -> {
            if (existing != null) {
                return Uni.createFrom().voidItem();
            }
            ErasureAck row = new ErasureAck();
            row.key = key;
            row.subjectId = event.subject();
            row.rowsAffected = ack.rowsAffected();
            row.completedAt = ack.completedAt();
            return acks.persist(row).chain(() -> destructions.acknowledged(ack.requestId(), ack.service(), ack.rowsAffected()))
                    .chain(() -> requests.acknowledged(ack.requestId()));
        }));
    }
}
