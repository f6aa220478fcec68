package io.sohbet.metrics.messaging;

import io.quarkus.test.junit.QuarkusTest;
import io.sohbet.devstack.ErasureRequests;
import io.sohbet.metrics.testing.MessageStateRows;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class ErasureParticipantTest {

    @Inject
    Pool pool;

    @Test
    void erasesTheSubjectAndAcknowledgesOverTheRealBroker() throws Throwable {
        String subject = "subject-" + UUID.randomUUID();
        String other = "subject-" + UUID.randomUUID();
        MessageStateRows.insert(pool, subject);
        MessageStateRows.insert(pool, other);

        // the row is re-keyed by the fold step; a redelivery changes nothing and is acknowledged again
        assertThat(ErasureRequests.rowsAffected(ErasureRequests.deliver(subject, "metrics-service", 2)))
                .containsExactlyInAnyOrder(1L, 0L);
        long left = MessageStateRows.count(pool, subject);
        long kept = MessageStateRows.count(pool, other);
        assertThat(left).isZero();
        assertThat(kept).isEqualTo(1);
    }
}
