package io.sohbet.segment.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.sohbet.segment.domain.Profile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
public class ProfileRepositoryTest {

    @Inject
    ProfileRepository rows;

    /** A row of {@code subject}, not yet persisted. */
    public static Profile row(String subject) {
        Profile row = new Profile();
        row.subjectId = subject;
        row.firstSeenAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        row.lastSeenAt = row.firstSeenAt;
        return row;
    }

    @Test
    void writesAndReadsThroughHibernateReactive() throws Throwable {
        Profile row = row("subject-" + UUID.randomUUID());
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> rows.persist(row)));

        Profile read = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> rows.findById(row.subjectId)));
        assertThat(read.subjectId).isEqualTo(row.subjectId);
        assertThat(read.firstSeenAt).isEqualTo(row.firstSeenAt);
    }

    /** Persists a row of {@code subject} in its own transaction. */
    public static void persist(ProfileRepository rows, Profile row) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> rows.persist(row)));
    }
}
