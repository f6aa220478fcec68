package io.sohbet.campaign.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.sohbet.campaign.domain.QueuedSend;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
public class QueuedSendRepositoryTest {

    private static final String CAMPAIGN = "test-campaign";

    static Uni<Void> ensureCampaign() {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(
                "INSERT INTO campaign (id, name, status, created_at) VALUES ('" + CAMPAIGN + "', 'test', 'draft', now())"
                        + " ON CONFLICT DO NOTHING").executeUpdate()).replaceWithVoid();
    }

    @Inject
    QueuedSendRepository rows;

    /** A row of {@code subject}, not yet persisted. */
    public static QueuedSend row(String subject) {
        QueuedSend row = new QueuedSend();
        row.campaignId = CAMPAIGN;
        row.subjectId = subject;
        row.status = "queued";
        row.dueAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return row;
    }

    @Test
    void writesAndReadsThroughHibernateReactive() throws Throwable {
        QueuedSend row = row("subject-" + UUID.randomUUID());
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> ensureCampaign().chain(() -> rows.persist(row))));

        QueuedSend read = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> rows.findById(row.id)));
        assertThat(read.subjectId).isEqualTo(row.subjectId);
        assertThat(read.dueAt).isEqualTo(row.dueAt);
    }

    /** Persists a row of {@code subject} in its own transaction. */
    public static void persist(QueuedSendRepository rows, QueuedSend row) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> ensureCampaign().chain(() -> rows.persist(row))));
    }
}
