package io.sohbet.consent.repository;

import io.smallrye.mutiny.Uni;
import io.sohbet.consent.domain.ErasureAck;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * The services' erasure acknowledgements, table {@code erasure_ack}: on the context's transaction ({@link
 * Database#inTransaction}) when there is one.
 */
@ApplicationScoped
public class ErasureAckRepository {

    private final Database database;

    public ErasureAckRepository(Database database) {
        this.database = database;
    }

    /** The acknowledgement with this key; null when there is none. */
    public Uni<ErasureAck> findById(ErasureAck.Key key) {
        return database.first("SELECT * FROM erasure_ack WHERE request_id = $1 AND service = $2", ErasureAck::from,
                key.requestId, key.service);
    }

    /** Inserts {@code ack}; returns it. */
    public Uni<ErasureAck> persist(ErasureAck ack) {
        return database.update("INSERT INTO erasure_ack (request_id, service, subject_id, rows_affected, completed_at) "
                + "VALUES ($1, $2, $3, $4, $5)", ack.key.requestId, ack.key.service, ack.subjectId, ack.rowsAffected,
                ack.completedAt).replaceWith(ack);
    }

    /** The acknowledgements of an erasure request (in no particular order). */
    public Uni<List<ErasureAck>> forRequest(String requestId) {
        return database.list("SELECT * FROM erasure_ack WHERE request_id = $1", ErasureAck::from, requestId);
    }
}
