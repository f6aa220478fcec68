package io.sohbet.webhook.service;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.quarkus.vertx.VertxContextSupport;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.ShopIds;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.PrivacyDestruction;
import io.sohbet.kit.privacy.DestructionInterval;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The receipt retention deletes shop-webhook receipts older than the period, and only those, in bounded batches, and
 * sends what it deleted on privacy.destruction once per transaction (counts only); a second run deletes nothing; a
 * shop event sent again once its receipt is gone is taken as new, under the same event id. The
 * receipts are of a year no other test uses; the run's clock is set so that the test profile's period (100 years) ends
 * between the old receipts and the kept ones.
 */
@QuarkusTest
class ReceiptRetentionTest {

    @Inject
    Pool pool;
    @Inject
    ReceiptRetention retention;

    final String run = Long.toHexString(System.nanoTime());
    final Instant t0 = Instant.parse("1951-01-01T09:00:00Z").plus(Duration.ofDays(ThreadLocalRandom.current().nextInt(10_000)));
    final Instant now = t0.plus(Duration.ofDays(36_500 + 100));

    @Test
    void deletesOnlyReceiptsOlderThanThePeriodAndSaysSoOnce() throws Throwable {
        // 1005 old receipts (more than a batch of 1000: two transactions) and two inside the period
        sql("INSERT INTO commerce_receipt (shop_event_id, body_sha256, event_type, received_at) SELECT 'sid_ret' || $1::text || '_' || g, "
                + "repeat('a', 64), 'order.paid', $2::timestamptz + g * interval '1 second' FROM generate_series(1, 1005) g", run, t0);
        sql("INSERT INTO commerce_receipt (shop_event_id, body_sha256, event_type, received_at) SELECT 'sid_ret' || $1::text || '_kept' || g, "
                + "repeat('a', 64), 'order.paid', $2::timestamptz FROM generate_series(1, 2) g", run, t0.plus(Duration.ofDays(101)));

        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.PRIVACY_DESTRUCTION)) {
            assertThat(VertxContextSupport.subscribeAndAwait(() -> retention.run(now))).isEqualTo(1005);
            // both transactions' events in one wait: a wait drops what its filter does not take
            List<ConsumerRecord<String, CloudEvent>> records = kafka.await(2, r -> r.value().time().equals(now)
                    && "webhook-service".equals(r.key()), Duration.ofSeconds(30));
            assertThat(records).hasSize(2);
            long total = 0;
            for (ConsumerRecord<String, CloudEvent> record : records) {
                assertThat(record.value().subject()).isNull();
                assertThat(String.valueOf(record.value())).doesNotContain("sid_ret" + run);
                PrivacyDestruction d = record.value().dataAs(PrivacyDestruction.class);
                assertThat(d.service()).isEqualTo("webhook-service");
                assertThat(d.entries()).singleElement().satisfies(e -> {
                    assertThat(e.dataset()).isEqualTo("commerce_receipt");
                    assertThat(e.method()).isEqualTo(PrivacyDestruction.DELETION);
                    assertThat(e.category()).isEqualTo("Müşteri İşlem");
                    assertThat(e.legalReason()).contains("sohbet.webhook.retention.commerce-receipts").contains("P36500D");
                });
                total += d.entries().get(0).records();
            }
            assertThat(total).isEqualTo(1005);
            assertThat(records).extracting(r -> r.value().dataAs(PrivacyDestruction.class).runId()).doesNotHaveDuplicates();
        }
        assertThat(count("SELECT count(*) FROM commerce_receipt WHERE shop_event_id LIKE $1", "sid_ret" + run + "\\_%")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM commerce_receipt WHERE shop_event_id LIKE $1", "sid_ret" + run + "\\_kept%")).isEqualTo(2);

        // nothing left to delete: no event written
        assertThat(VertxContextSupport.subscribeAndAwait(() -> retention.run(now))).isZero();
        assertThat(count("SELECT count(*) FROM outbox WHERE created_at = $1", now.atOffset(ZoneOffset.UTC))).isZero();
    }

    @Test
    void aShopEventSentAgainAfterItsReceiptWasDeletedIsTakenAsNewUnderTheSameEventId() throws Throwable {
        String id = "evt-ret-" + run;
        String body = """
                {"id":"%s","type":"order.paid","occurredAt":"2026-11-20T12:00:00Z",
                 "customer":{"phone":"05321234567","consents":{"marketing":true}},
                 "order":{"id":"o-%s","total":10.00,"currency":"TRY"}}""".formatted(id, id);
        String receipt = ShopIds.withKey("dev-message-id-key-not-for-production").hash(id);
        post(body).statusCode(200).body("duplicate", equalTo(false));
        // within the period: a retry is a duplicate
        post(body).statusCode(200).body("duplicate", equalTo(true));

        // the receipt as if received in 1940: the next run (its period ending in 1940) deletes it and nothing else
        sql("UPDATE commerce_receipt SET received_at = $2 WHERE shop_event_id = $1", receipt, Instant.parse("1940-01-01T00:00:00Z"));
        Instant in2040 = Instant.parse("1940-01-02T00:00:00Z").plus(Duration.ofDays(36_500));
        assertThat(VertxContextSupport.subscribeAndAwait(() -> retention.run(in2040))).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM commerce_receipt WHERE shop_event_id = $1", receipt)).isZero();

        // sent again after that: taken as new and published again, under the same event id (consumers drop the repeat)
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.COMMERCE_EVENT)) {
            post(body).statusCode(200).body("duplicate", equalTo(false)).body("eventId", equalTo(ShopIds.EVENT_KIND + receipt));
            assertThat(kafka.await(1, r -> r.value().id().equals(ShopIds.EVENT_KIND + receipt), Duration.ofSeconds(20))).hasSize(1);
        }
        assertThat(count("SELECT count(*) FROM commerce_receipt WHERE shop_event_id = $1", receipt)).isEqualTo(1);
    }

    static ValidatableResponse post(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        long timestamp = Instant.now().getEpochSecond();
        return given().contentType(ContentType.JSON).header("X-Sohbet-Timestamp", Long.toString(timestamp))
                .header("X-Sohbet-Signature", SignatureVerifier.sign("dev-commerce-secret",
                        (timestamp + ".").getBytes(StandardCharsets.US_ASCII), bytes))
                .body(bytes).when().post("/webhooks/commerce").then();
    }

    @Test
    void aPeriodShorterThanTheRedeliveryWindowOrASixMonthScheduleIsRefused() {
        assertThat(ReceiptRetention.problem(Duration.ofDays(7), 1000)).isEmpty();
        assertThat(ReceiptRetention.problem(Duration.ofDays(6), 1000)).get().asString()
                .startsWith("sohbet.webhook.retention.commerce-receipts must be at least 7 days");
        assertThat(ReceiptRetention.problem(Duration.ofDays(14), 0)).get().asString().contains("batch must be at least 1");
        ZonedDateTime at = ZonedDateTime.of(2026, 12, 1, 4, 0, 0, 0, ZoneOffset.UTC);
        assertThat(DestructionInterval.problem(ReceiptRetention.CRON_SETTING, ReceiptRetention.EXEMPT_SETTING, "0 10 4 * * ?", false,
                at)).isEmpty();
        assertThat(DestructionInterval.problem(ReceiptRetention.CRON_SETTING, ReceiptRetention.EXEMPT_SETTING, "0 0 0 1 1/7 ?", false,
                at)).get().asString().startsWith("sohbet.webhook.retention.cron must run the retention job at least every 6 months");
    }

    long count(String sql, Object param) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery(sql).execute(Tuple.of(param)))
                .iterator().next().getLong(0);
    }

    void sql(String statement, Object... params) throws Throwable {
        Object[] values = new Object[params.length];
        for (int i = 0; i < params.length; i++) {
            values[i] = params[i] instanceof Instant at ? at.atOffset(ZoneOffset.UTC) : params[i];
        }
        VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery(statement).execute(Tuple.from(values)));
    }
}
