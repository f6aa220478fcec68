package io.sohbet.metrics.service;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.CampaignMessage;
import io.sohbet.events.payload.CommerceEvent;
import io.sohbet.events.payload.LinkClick;
import io.sohbet.events.payload.PrivacyDestruction;
import io.sohbet.events.payload.WaInbound;
import io.sohbet.kit.privacy.DestructionInterval;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The retention job folds the people whose newest row is older than the period, and only them, exactly as an erasure
 * does: the campaign's figures are the same before and after, and one privacy.destruction event (counts only) says
 * what was folded. The test's rows are of a year no other test uses, and the run's clock is set so that the test
 * profile's period (100 years) ends between the old people's rows and the kept person's newest row.
 */
@QuarkusTest
class MetricsRetentionTest {

    @Inject
    Pool pool;
    @Inject
    EngagementFacts facts;
    @Inject
    MetricsRetention retention;

    final String run = Long.toHexString(System.nanoTime());
    // a day in 2001–2009 (different each run; other tests write 2023 and later, the figures read from 2000 by default):
    // the period ends 200 days after it
    final Instant t0 = Instant.parse("2001-01-01T09:00:00Z").plus(Duration.ofDays(ThreadLocalRandom.current().nextInt(3_000)));
    final Instant now = t0.plus(Duration.ofDays(36_500 + 200));
    final String campaign = "c-retention-" + run;
    final String old1 = "ret" + run + "old1";
    final String old2 = "ret" + run + "old2";
    final String kept = "ret" + run + "kept";

    @Test
    void foldsOnlyPeopleWhoseNewestRowIsOlderThanThePeriodAndKeepsEveryFigure() throws Throwable {
        load();
        Map<String, Object> before = figures();
        assertThat(before.get("click-through").toString()).contains("clicked=1");
        Map<String, Long> keptBefore = rowsOf(kept);

        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.PRIVACY_DESTRUCTION)) {
            long folded = VertxContextSupport.subscribeAndAwait(() -> retention.run(now));
            assertThat(folded).isEqualTo(2);

            assertThat(figures()).isEqualTo(before);
            assertThat(rowsOf(old1).values()).allMatch(n -> n == 0);
            assertThat(rowsOf(old2).values()).allMatch(n -> n == 0);
            assertThat(rowsOf(kept)).isEqualTo(keptBefore).containsEntry("message_state", 1L).containsEntry("inbound_message", 1L);

            ConsumerRecord<String, CloudEvent> record = kafka.await(1, r -> r.value().time().equals(now), Duration.ofSeconds(30)).get(0);
            assertThat(record.key()).isEqualTo("metrics-service");
            PrivacyDestruction destruction = record.value().dataAs(PrivacyDestruction.class);
            assertThat(destruction.service()).isEqualTo("metrics-service");
            assertThat(destruction.runId()).isNotBlank();
            Map<String, Long> records = new LinkedHashMap<>();
            destruction.entries().forEach(e -> records.put(e.dataset(), e.records()));
            // old1: a message, a click, an order; old2: a message
            assertThat(records).containsExactlyInAnyOrderEntriesOf(Map.of("message_state", 2L, "link_click", 1L, "shop_order", 1L));
            assertThat(destruction.entries()).allSatisfy(e -> assertThat(e.legalReason())
                    .contains("sohbet.metrics.retention.subject-rows").contains("P36500D"));
            assertThat(destruction.entries()).filteredOn(e -> e.dataset().equals("shop_order")).singleElement()
                    .satisfies(e -> assertThat(e.method()).isEqualTo(PrivacyDestruction.DELETION));
            assertThat(destruction.entries()).filteredOn(e -> e.dataset().equals("message_state")).singleElement()
                    .satisfies(e -> assertThat(e.method()).isEqualTo(PrivacyDestruction.ANONYMISATION));
            // no subject id in the event
            assertThat(new String(io.sohbet.events.CloudEventSerializer.encode(Topics.PRIVACY_DESTRUCTION, "x", "/x", now, null,
                    destruction))).doesNotContain(old1, old2, kept);
            assertThat(record.value().subject()).isNull();
        }

        // a second run finds no one (the fold tokens are not people) and sends nothing
        assertThat(VertxContextSupport.subscribeAndAwait(() -> retention.run(now))).isZero();
        assertThat(figures()).isEqualTo(before);
        long queued = VertxContextSupport.subscribeAndAwait(() -> pool.query("SELECT count(*) FROM outbox").execute())
                .iterator().next().getLong(0);
        assertThat(queued).as("the relay published and deleted the event").isZero();
    }

    @Test
    void aScheduleLongerThanSixMonthsIsRefused() {
        ZonedDateTime at = ZonedDateTime.of(2026, 12, 1, 4, 0, 0, 0, ZoneOffset.UTC);
        assertThat(DestructionInterval.problem(MetricsRetention.CRON_SETTING, MetricsRetention.EXEMPT_SETTING, "0 40 3 * * ?",
                false, at)).isEmpty();
        assertThat(DestructionInterval.problem(MetricsRetention.CRON_SETTING, MetricsRetention.EXEMPT_SETTING, "0 0 0 1 1 ?",
                false, at)).get().asString().startsWith("sohbet.metrics.retention.cron must run the retention job at least every 6 months");
        assertThat(DestructionInterval.problem(MetricsRetention.CRON_SETTING, MetricsRetention.EXEMPT_SETTING, "0 0 0 1 1,7 ?",
                true, at)).get().asString().contains("sohbet.metrics.retention.verbis-exempt=true");
    }

    void load() throws Throwable {
        List<Supplier<Uni<Void>>> writes = new ArrayList<>();
        for (String subject : List.of(old1, old2, kept)) {
            String wamid = "wamid." + campaign + "." + subject;
            writes.add(() -> facts.campaignMessage(subject, new CampaignMessage(wamid, campaign, "A", "template", t0, false)));
            writes.add(() -> facts.status(subject, ErasureFoldingTest.status(wamid, "sent", t0.plusSeconds(1), null)));
            writes.add(() -> facts.status(subject, ErasureFoldingTest.status(wamid, "delivered", t0.plusSeconds(5), null)));
        }
        // old1 reads, clicks and orders within the attribution window: a conversion of the campaign
        writes.add(() -> facts.status(old1, ErasureFoldingTest.status("wamid." + campaign + "." + old1, "read",
                t0.plus(Duration.ofHours(1)), null)));
        writes.add(() -> facts.click("link.click:" + java.util.UUID.randomUUID(), old1,
                new LinkClick(campaign, "A", "L" + run, "https://shop.example/l", t0.plus(Duration.ofHours(2)))));
        String order = "order-" + run;
        writes.add(() -> facts.commerce(old1, new CommerceEvent(order, "order.created", t0.plus(Duration.ofDays(1)), order, null,
                new BigDecimal("250.00"), "TRY", List.of(), null)));
        // the kept person reads, and writes 300 days later: newer than the period's end
        writes.add(() -> facts.status(kept, ErasureFoldingTest.status("wamid." + campaign + "." + kept, "read",
                t0.plus(Duration.ofHours(3)), null)));
        writes.add(() -> facts.inbound(kept, new WaInbound("in." + run + ".kept", "pn", t0.plus(Duration.ofDays(300)), "text", "text",
                null, null, null, null, null, null, null, null, null, null, false, null, null, null, null, List.of())));
        for (Supplier<Uni<Void>> write : writes) {
            VertxContextSupport.subscribeAndAwait(write::get);
        }
    }

    Map<String, Object> figures() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String metric : List.of("open", "click-through", "conversion", "engagement")) {
            out.put(metric, ErasureFoldingTest.get("/api/metrics/campaigns/" + campaign, Map.of("metric", metric)));
        }
        for (String by : List.of("all", "variant", "type", "send-window")) {
            out.put("summary " + by, ErasureFoldingTest.get("/api/metrics/summary", Map.of("campaignId", campaign, "by", by)));
        }
        out.put("links", ErasureFoldingTest.get("/api/metrics/links", Map.of("campaignId", campaign)));
        return out;
    }

    Map<String, Long> rowsOf(String subject) throws Throwable {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String table : MetricsRetention.TIMES.keySet()) {
            out.put(table, VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT count(*) FROM " + table
                    + " WHERE subject_id = $1").execute(Tuple.of(subject))).iterator().next().getLong(0));
        }
        return out;
    }
}
