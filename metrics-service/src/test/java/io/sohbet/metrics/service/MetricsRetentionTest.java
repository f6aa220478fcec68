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
    void aCurrentMemberOfASegmentIsNotFolded() throws Throwable {
        String member = "ret" + run + "member";
        String former = "ret" + run + "former";
        for (String subject : List.of(member, former)) {
            message(subject, campaign, t0);
        }
        // both entered a segment right after the campaign; the former member left the next day, the member is still in
        VertxContextSupport.subscribeAndAwait(() -> facts.membership(member, "s-" + run, "entered", t0.plusSeconds(60)));
        VertxContextSupport.subscribeAndAwait(() -> facts.membership(former, "s-" + run, "entered", t0.plusSeconds(60)));
        VertxContextSupport.subscribeAndAwait(() -> facts.membership(former, "s-" + run, "left", t0.plus(Duration.ofDays(1))));
        Map<String, Long> memberBefore = rowsOf(member);

        VertxContextSupport.subscribeAndAwait(() -> retention.run(now));

        assertThat(rowsOf(member)).as("an open membership is activity now").isEqualTo(memberBefore)
                .containsEntry("message_state", 1L).containsEntry("segment_membership", 1L);
        assertThat(rowsOf(former).values()).as("a closed membership is as old as its end").allMatch(n -> n == 0);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPersonInSeveralCampaignsCountsOncePerCampaignAcrossThemAfterTheFold() throws Throwable {
        String person = "ret" + run + "cross";
        String other = campaign + "-b";
        message(person, campaign, t0);
        message(person, other, t0.plusSeconds(600));
        Map<String, String> range = Map.of("by", "all", "from", t0.minusSeconds(60).toString(),
                "to", t0.plus(Duration.ofHours(1)).toString());
        Map<String, Object> perCampaign = Map.of(
                campaign, ErasureFoldingTest.get("/api/metrics/summary", Map.of("campaignId", campaign, "by", "all")),
                other, ErasureFoldingTest.get("/api/metrics/summary", Map.of("campaignId", other, "by", "all")));
        Map<String, Object> across = (Map<String, Object>) ((List<Object>) ((Map<String, Object>) ErasureFoldingTest
                .get("/api/metrics/summary", range)).get("groups")).get(0);
        assertThat(((Number) across.get("recipients")).longValue()).as("one person before the fold").isEqualTo(1);
        assertThat(((Number) across.get("readers")).longValue()).isEqualTo(1);

        VertxContextSupport.subscribeAndAwait(() -> retention.run(now));

        assertThat(rowsOf(person).values()).allMatch(n -> n == 0);
        // each campaign's own figures stay; the summary across both counts the person once per campaign (README, docs)
        for (Map.Entry<String, Object> c : perCampaign.entrySet()) {
            assertThat(ErasureFoldingTest.get("/api/metrics/summary", Map.of("campaignId", c.getKey(), "by", "all")))
                    .as(c.getKey()).isEqualTo(c.getValue());
        }
        Map<String, Object> after = (Map<String, Object>) ((List<Object>) ((Map<String, Object>) ErasureFoldingTest
                .get("/api/metrics/summary", range)).get("groups")).get(0);
        assertThat(((Number) after.get("recipients")).longValue()).as("once per campaign after the fold").isEqualTo(2);
        assertThat(((Number) after.get("readers")).longValue()).isEqualTo(2);
        assertThat(after.get("sent")).as("messages are counted as before").isEqualTo(across.get("sent"));
        assertThat(after.get("read")).isEqualTo(across.get("read"));
    }

    @Test
    void aPersonActiveAgainAfterTheSelectionIsNotFolded() throws Throwable {
        String active = "ret" + run + "active";
        String idle = "ret" + run + "idle";
        for (String subject : List.of(active, idle)) {
            message(subject, campaign, t0);
        }
        // selected as expired (the stale list below), then the person writes: a row far newer than the period's end,
        // committed before the batch's transaction locks and re-checks
        VertxContextSupport.subscribeAndAwait(() -> facts.inbound(active, new WaInbound("in." + run + ".active", "pn",
                Instant.parse("2200-01-01T00:00:00Z"), "text", "text", null, null, null, null, null, null, null, null, null,
                null, false, null, null, null, null, List.of())));
        Map<String, Long> activeBefore = rowsOf(active);

        int folded = VertxContextSupport.subscribeAndAwait(() -> pool.withTransaction(tx ->
                retention.foldExpired(tx, now, "race-" + run, List.of(active, idle))));

        assertThat(folded).isEqualTo(1);
        assertThat(rowsOf(active)).isEqualTo(activeBefore).containsEntry("message_state", 1L).containsEntry("inbound_message", 1L);
        assertThat(rowsOf(idle).values()).allMatch(n -> n == 0);
        // a batch whose every candidate became active folds nobody and writes no destruction event
        long queued = VertxContextSupport.subscribeAndAwait(() -> pool.withTransaction(tx ->
                retention.foldExpired(tx, now, "race-none-" + run, List.of(active))
                        .chain(() -> tx.preparedQuery("SELECT count(*) FROM outbox WHERE event LIKE $1")
                                .execute(Tuple.of("%race-none-" + run + "%")))))
                .iterator().next().getLong(0);
        assertThat(queued).isZero();
        assertThat(rowsOf(active)).isEqualTo(activeBefore);
    }

    /** A campaign message sent and delivered to {@code subject} at {@code at}, and read an hour later. */
    void message(String subject, String campaignId, Instant at) throws Throwable {
        String wamid = "wamid." + campaignId + "." + subject;
        VertxContextSupport.subscribeAndAwait(() -> facts.campaignMessage(subject, new CampaignMessage(wamid, campaignId, "A",
                "template", at, false)));
        VertxContextSupport.subscribeAndAwait(() -> facts.status(subject, ErasureFoldingTest.status(wamid, "sent", at.plusSeconds(1), null)));
        VertxContextSupport.subscribeAndAwait(() -> facts.status(subject, ErasureFoldingTest.status(wamid, "delivered", at.plusSeconds(5), null)));
        VertxContextSupport.subscribeAndAwait(() -> facts.status(subject, ErasureFoldingTest.status(wamid, "read",
                at.plus(Duration.ofHours(1)), null)));
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
