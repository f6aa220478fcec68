package io.sohbet.webhook.repository;

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
    void storesReadsAndKeepsTheFirstReceiptOfAnId() throws Throwable {
        String id = "evt-" + UUID.randomUUID();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        assertThat(VertxContextSupport.subscribeAndAwait(() -> receipts.store(new CommerceReceipt(id, "a".repeat(64), "order.paid", at))))
                .isTrue();
        assertThat(VertxContextSupport.subscribeAndAwait(() -> receipts.store(new CommerceReceipt(id, "b".repeat(64), "order.refunded", at))))
                .as("a second receipt under the same id").isFalse();

        CommerceReceipt read = VertxContextSupport.subscribeAndAwait(() -> receipts.find(id));
        assertThat(read).isEqualTo(new CommerceReceipt(id, "a".repeat(64), "order.paid", at));
        assertThat(VertxContextSupport.subscribeAndAwait(() -> receipts.find("evt-" + UUID.randomUUID()))).isNull();
    }
}
