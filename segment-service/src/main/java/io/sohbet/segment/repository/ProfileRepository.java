package io.sohbet.segment.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.sohbet.segment.domain.Profile;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ProfileRepository implements PanacheRepositoryBase<Profile, String> {

    /** Deletes every row of the subject; returns how many. */
    public Uni<Long> deleteBySubject(String subjectId) {
        return delete("subjectId", subjectId);
    }
}
