package io.sohbet.metrics.messaging;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.sohbet.devstack.ErasureRequests;
import io.sohbet.metrics.repository.MessageStateRepository;
import io.sohbet.metrics.repository.MessageStateRepositoryTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class ErasureParticipantTest {

    @Inject
    MessageStateRepository rows;

    @Test
    void erasesTheSubjectAndAcknowledgesOverTheRealBroker() throws Throwable {
        String subject = "subject-" + UUID.randomUUID();
        String other = "subject-" + UUID.randomUUID();
        MessageStateRepositoryTest.persist(rows, MessageStateRepositoryTest.row(subject));
        MessageStateRepositoryTest.persist(rows, MessageStateRepositoryTest.row(other));

        // the row is re-keyed by the fold step; a redelivery changes nothing and is acknowledged again
        assertThat(ErasureRequests.rowsAffected(ErasureRequests.deliver(subject, "metrics-service", 2)))
                .containsExactlyInAnyOrder(1L, 0L);
        long left = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> rows.count("subjectId", subject)));
        long kept = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> rows.count("subjectId", other)));
        assertThat(left).isZero();
        assertThat(kept).isEqualTo(1);
    }
}
