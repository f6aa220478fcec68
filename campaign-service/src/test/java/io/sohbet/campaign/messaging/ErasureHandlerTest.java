package io.sohbet.campaign.messaging;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.sohbet.campaign.TestRows;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.PrivacyErasure;
import io.sohbet.events.payload.PrivacyErasureAck;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class ErasureHandlerTest {

    @Inject
    Pool pool;

    @Test
    void erasesTheSubjectsHistoryAndAcknowledgesOverTheRealBroker() throws Throwable {
        String subject = "subject" + UUID.randomUUID().toString().replace("-", "");
        String other = "subject" + UUID.randomUUID().toString().replace("-", "");
        TestRows.sentTo(pool, "c-" + UUID.randomUUID(), subject, other);
        TestRows.sentTo(pool, "c-" + UUID.randomUUID(), subject);
        String requestId = UUID.randomUUID().toString();

        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.PRIVACY_ERASURE_ACK)) {
            CloudEvent erasure = CloudEvent.of(Topics.PRIVACY_ERASURE, "erasure:" + requestId, "/sohbet/consent-service",
                    Instant.now(), subject, new PrivacyErasure(requestId, Instant.now()));
            kafka.send(Topics.PRIVACY_ERASURE, subject, erasure);
            kafka.send(Topics.PRIVACY_ERASURE, subject, erasure); // a redelivery changes nothing

            var acks = kafka.await(2, r -> r.value().id().equals("ack:" + requestId + ":campaign-service"), Duration.ofSeconds(30));
            assertThat(acks).allSatisfy(ack -> assertThat(ack.key()).isEqualTo(subject));
            // two queue rows and the tier-window entry, then nothing on the redelivery
            assertThat(acks.stream().map(a -> a.value().dataAs(PrivacyErasureAck.class).rowsAffected())).containsExactlyInAnyOrder(3L, 0L);
        }
        assertThat(count("SELECT count(*) FROM send_queue WHERE subject_id = $1", subject)).isZero();
        assertThat(count("SELECT count(*) FROM recipient_window WHERE subject_id = $1", subject)).isZero();
        assertThat(count("SELECT count(*) FROM send_queue WHERE subject_id = $1", other)).isEqualTo(1);
    }

    long count(String sql, String subject) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery(sql).execute(Tuple.of(subject))
                .map(rows -> rows.iterator().next().getLong(0)));
    }
}
