package io.sohbet.consent.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.domain.ConsentRecord;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class ConsentRecordRepository implements PanacheRepositoryBase<ConsentRecord, Long> {

    /** The subject's whole history, oldest first. */
    public Uni<List<ConsentRecord>> history(String subjectId) {
        return list("subjectId = ?1 order by id", subjectId);
    }
}
