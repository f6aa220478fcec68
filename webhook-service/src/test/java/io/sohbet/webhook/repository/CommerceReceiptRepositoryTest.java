package io.sohbet.webhook.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.sohbet.webhook.domain.CommerceReceipt;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class CommerceReceiptRepositoryTest {

    @Inject
    CommerceReceiptRepository receipts;

    @Test
    void writesAndReadsThroughHibernateReactive() throws Throwable {
        String id = "evt-" + UUID.randomUUID();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(
                () -> receipts.persist(CommerceReceipt.of(id, "a".repeat(64), "order.paid", at))));

        CommerceReceipt read = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> receipts.findById(id)));
        assertThat(read.eventType).isEqualTo("order.paid");
        assertThat(read.receivedAt).isEqualTo(at);
        assertThat(read.bodySha256).hasSize(64);
    }
}
