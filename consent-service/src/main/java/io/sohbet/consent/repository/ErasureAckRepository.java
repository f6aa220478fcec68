package io.sohbet.consent.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.domain.ErasureAck;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class ErasureAckRepository implements PanacheRepositoryBase<ErasureAck, ErasureAck.Key> {

    public Uni<List<ErasureAck>> forRequest(String requestId) {
        return list("key.requestId", requestId);
    }
}
