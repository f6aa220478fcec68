package io.sohbet.metrics.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.sohbet.metrics.domain.MessageState;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class MessageStateRepository implements PanacheRepositoryBase<MessageState, String> {

    /** Deletes every row of the subject; returns how many. */
    public Uni<Long> deleteBySubject(String subjectId) {
        return delete("subjectId", subjectId);
    }
}
