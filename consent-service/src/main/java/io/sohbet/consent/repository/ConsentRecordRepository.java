package io.sohbet.consent.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.domain.ConsentRecord;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class ConsentRecordRepository implements PanacheRepositoryBase<ConsentRecord, Long> {

    /**
     * The subject's whole history in the order the person made the choices: by capture time, entries captured at the
     * same instant in the order they were recorded.
     */
    public Uni<List<ConsentRecord>> history(String subjectId) {
        return list("subjectId = ?1 order by capturedAt, id", subjectId);
    }

    /**
     * Whether {@code record} (persisted) is its purpose and channel's current entry: none of the subject's entries for
     * them was captured later, nor at the same instant and recorded after it.
     */
    public Uni<Boolean> isCurrent(ConsentRecord record) {
        return count("subjectId = ?1 and purpose = ?2 and channel = ?3 and (capturedAt > ?4 or (capturedAt = ?4 and id > ?5))",
                record.subjectId, record.purpose, record.channel, record.capturedAt, record.id).map(later -> later == 0);
    }
}
