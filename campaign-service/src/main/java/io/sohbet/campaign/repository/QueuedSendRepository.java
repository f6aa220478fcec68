package io.sohbet.campaign.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.sohbet.campaign.domain.QueuedSend;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class QueuedSendRepository implements PanacheRepositoryBase<QueuedSend, Long> {

    /** Deletes every row of the subject; returns how many. */
    public Uni<Long> deleteBySubject(String subjectId) {
        return delete("subjectId", subjectId);
    }
}
