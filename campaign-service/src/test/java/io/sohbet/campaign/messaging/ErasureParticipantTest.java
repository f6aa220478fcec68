package io.sohbet.campaign.messaging;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.sohbet.campaign.TestRows;
import io.sohbet.devstack.ErasureRequests;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class ErasureParticipantTest {

    @Inject
    Pool pool;

    @Test
    void erasesTheSubjectsHistoryAndAcknowledgesOverTheRealBroker() throws Throwable {
        String subject = "subject" + UUID.randomUUID().toString().replace("-", "");
        String other = "subject" + UUID.randomUUID().toString().replace("-", "");
        TestRows.sentTo(pool, "c-" + UUID.randomUUID(), subject, other);
        TestRows.sentTo(pool, "c-" + UUID.randomUUID(), subject);

        // two queue rows and the tier-window entry, then nothing on the redelivery
        assertThat(ErasureRequests.rowsAffected(ErasureRequests.deliver(subject, "campaign-service", 2)))
                .containsExactlyInAnyOrder(3L, 0L);
        assertThat(count("SELECT count(*) FROM send_queue WHERE subject_id = $1", subject)).isZero();
        assertThat(count("SELECT count(*) FROM recipient_window WHERE subject_id = $1", subject)).isZero();
        assertThat(count("SELECT count(*) FROM send_queue WHERE subject_id = $1", other)).isEqualTo(1);
    }

    long count(String sql, String subject) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery(sql).execute(Tuple.of(subject))
                .map(rows -> rows.iterator().next().getLong(0)));
    }
}
