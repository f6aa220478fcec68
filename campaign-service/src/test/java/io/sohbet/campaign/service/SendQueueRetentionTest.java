package io.sohbet.campaign.service;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.sohbet.devstack.ErasureRequests;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.PrivacyDestruction;
import io.sohbet.kit.privacy.DestructionInterval;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The send queue's retention rule deletes the rows of campaigns that ended longer ago than the period, and only
 * those, in bounded batches; the campaign's progress and planned send times read the same afterwards; what it deleted
 * goes to privacy.destruction once per transaction (counts only); a second run deletes nothing; an erasure still
 * deletes the person's remaining rows. The campaigns ended in a year no other test uses; the run's clock is set so
 * that the test profile's period (100 years) ends between the old campaigns and the kept one.
 */
@QuarkusTest
class SendQueueRetentionTest {

    @Inject
    Pool pool;
    @Inject
    SendQueueRetention retention;
    @Inject
    Campaigns campaigns;
    @Inject
    PlannedSendTimes sendTimes;

    final String run = Long.toHexString(System.nanoTime());
    final Instant t0 = Instant.parse("1951-01-01T09:00:00Z").plus(Duration.ofDays(ThreadLocalRandom.current().nextInt(10_000)));
    final Instant now = t0.plus(Duration.ofDays(36_500 + 100));
    final String ended = "ret-" + run + "-ended";
    final String cancelled = "ret-" + run + "-cancelled";
    final String recent = "ret-" + run + "-recent";
    final String running = "ret-" + run + "-running";
    final String person = "ret" + run + "p1";

    @Test
    void deletesOnlyTheRowsOfCampaignsEndedLongerAgoKeepsTheirCountsAndSaysSoOnce() throws Throwable {
        campaign(ended, "completed", t0);
        campaign(cancelled, "cancelled", t0.plus(Duration.ofDays(50)));
        campaign(recent, "completed", t0.plus(Duration.ofDays(200)));
        // a running campaign is never touched, even with an (impossible) old end time
        campaign(running, "running", t0);

        // 1005 rows of the ended campaign (more than a batch of 1000: two transactions) in every kind of state, due over
        // 5 days in 7-minute steps, plus one whose campaign.message is still to be republished (kept)
        sql("INSERT INTO send_queue (campaign_id, subject_id, variant, phase, status, due_at, claimed_at, sent_at, delivered_at, "
                + "read_at, wamid, published) SELECT $1, 'ret' || $2::text || 'p' || g, 'a', CASE WHEN g % 5 = 3 THEN 'holdout' ELSE 'all' END, "
                + "CASE g % 5 WHEN 0 THEN 'sent' WHEN 1 THEN 'sent' WHEN 2 THEN 'failed' WHEN 3 THEN 'held-out' ELSE 'skipped-cap' END, "
                + "$3::timestamptz + g * interval '7 minutes', $3, $3, CASE WHEN g % 5 IN (0, 1) THEN $3 END, "
                + "CASE WHEN g % 5 = 0 THEN $3 END, CASE WHEN g % 5 IN (0, 1) THEN 'mid_ret' || $2::text || '_' || g END, true "
                + "FROM generate_series(1, 1005) g", ended, run, t0.minus(Duration.ofDays(6)));
        // sent after the test's start (so housekeeping does not republish it during the test)
        sql("INSERT INTO send_queue (campaign_id, subject_id, phase, status, due_at, claimed_at, sent_at, wamid, published) "
                + "VALUES ($1, $2, 'all', 'sent', $3, $3, now() + interval '1 day', $4, false)", ended, "ret" + run + "unpublished",
                t0.minus(Duration.ofDays(1)), "mid_ret" + run + "_unpublished");
        rows(cancelled, 3, "cancelled");
        rows(recent, 2, "sent");
        rows(running, 2, "sent");
        sql("INSERT INTO send_queue (campaign_id, subject_id, phase, status, due_at) VALUES ($1, $2, 'all', 'sent', $3)", recent, person,
                t0.plus(Duration.ofDays(199)));

        Map<String, Long> progress = progress(ended);
        assertThat(progress).containsEntry("read", 201L).containsEntry("delivered", 201L).containsEntry("failed", 201L)
                .containsEntry("held-out", 201L).containsEntry("skipped-cap", 201L).containsEntry("sent", 1L);
        Map<String, Long> cancelledProgress = progress(cancelled);
        List<PlannedSendTimes.Hour> istanbul = hours(ended, "Europe/Istanbul");
        List<PlannedSendTimes.Hour> kolkata = hours(ended, "Asia/Kolkata");
        List<PlannedSendTimes.Hour> kathmandu = hours(ended, "Asia/Kathmandu");
        assertThat(istanbul).hasSizeGreaterThan(100);

        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.PRIVACY_DESTRUCTION)) {
            assertThat(VertxContextSupport.subscribeAndAwait(() -> retention.run(now))).isEqualTo(1005 + 3);
            // both transactions' events in one wait: a wait drops what its filter does not take
            List<ConsumerRecord<String, CloudEvent>> records = kafka.await(2, r -> r.value().time().equals(now)
                    && "campaign-service".equals(r.key()), Duration.ofSeconds(30));
            assertThat(records).hasSize(2);
            long total = 0;
            for (ConsumerRecord<String, CloudEvent> record : records) {
                assertThat(record.value().subject()).isNull();
                assertThat(String.valueOf(record.value())).doesNotContain("ret" + run + "p").doesNotContain(person);
                PrivacyDestruction d = record.value().dataAs(PrivacyDestruction.class);
                assertThat(d.service()).isEqualTo("campaign-service");
                assertThat(d.entries()).singleElement().satisfies(e -> {
                    assertThat(e.dataset()).isEqualTo("send_queue");
                    assertThat(e.method()).isEqualTo(PrivacyDestruction.DELETION);
                    assertThat(e.category()).isNotBlank();
                    assertThat(e.legalReason()).contains("sohbet.campaign.retention.send-queue").contains("P36500D");
                });
                total += d.entries().get(0).records();
            }
            assertThat(total).isEqualTo(1008);
            assertThat(records).extracting(r -> r.value().dataAs(PrivacyDestruction.class).runId()).doesNotHaveDuplicates();
        }

        assertThat(rows(ended)).isEqualTo(1); // the message still to be republished
        assertThat(rows(cancelled)).isZero();
        assertThat(rows(recent)).isEqualTo(3);
        assertThat(rows(running)).isEqualTo(2);
        // what the campaigns report did not change
        assertThat(progress(ended)).isEqualTo(progress);
        assertThat(progress(cancelled)).isEqualTo(cancelledProgress).containsEntry("cancelled", 3L);
        assertThat(hours(ended, "Europe/Istanbul")).isEqualTo(istanbul);
        assertThat(hours(ended, "Asia/Kolkata")).isEqualTo(kolkata);
        assertThat(hours(ended, "Asia/Kathmandu")).isEqualTo(kathmandu);

        // nothing left to delete: no event written
        assertThat(VertxContextSupport.subscribeAndAwait(() -> retention.run(now))).isZero();
        assertThat(count("SELECT count(*) FROM outbox WHERE created_at = $1", now.atOffset(ZoneOffset.UTC))).isZero();

        // the erasure still deletes what is left of the person: their row of the kept campaign (the ended one's is gone)
        assertThat(ErasureRequests.rowsAffected(ErasureRequests.deliver(person, "campaign-service", 1))).containsExactly(1L);
        assertThat(count("SELECT count(*) FROM send_queue WHERE subject_id = $1", person)).isZero();
        assertThat(rows(recent)).isEqualTo(2);
        assertThat(progress(ended)).isEqualTo(progress);

        sql("DELETE FROM send_queue WHERE campaign_id = $1", ended);
    }

    @Test
    void aPeriodShorterThanTheLongestFrequencyCapOrASixMonthScheduleIsRefused() {
        assertThat(SendQueueRetention.problem(Duration.ofDays(90), Duration.ofDays(7), 1000)).isEmpty();
        assertThat(SendQueueRetention.problem(Duration.ofDays(89), Duration.ofDays(7), 1000)).get().asString()
                .startsWith("sohbet.campaign.retention.send-queue must be at least PT2160H");
        assertThat(SendQueueRetention.problem(Duration.ofDays(100), Duration.ofDays(120), 1000)).get().asString()
                .contains("at least PT2880H");
        assertThat(SendQueueRetention.problem(Duration.ofDays(90), Duration.ofDays(7), 0)).get().asString()
                .contains("batch must be at least 1");
        ZonedDateTime at = ZonedDateTime.of(2026, 12, 1, 4, 0, 0, 0, ZoneOffset.UTC);
        assertThat(DestructionInterval.problem(SendQueueRetention.CRON_SETTING, SendQueueRetention.EXEMPT_SETTING, "0 0 4 * * ?",
                false, at)).isEmpty();
        assertThat(DestructionInterval.problem(SendQueueRetention.CRON_SETTING, SendQueueRetention.EXEMPT_SETTING, "0 0 0 1 1/7 ?",
                false, at)).get().asString().startsWith("sohbet.campaign.retention.cron must run the retention job at least every 6 months");
    }

    void campaign(String id, String status, Instant finishedAt) throws Throwable {
        sql("INSERT INTO campaign (id, name, status, definition, created_at, updated_at, finished_at) "
                + "VALUES ($1, 'retention', $2, '{}'::jsonb, $3, $3, $3)", id, status, finishedAt);
    }

    void rows(String campaignId, int n, String status) throws Throwable {
        sql("INSERT INTO send_queue (campaign_id, subject_id, phase, status, due_at) SELECT $1::text, $1::text || '-p' || g, 'all', $2, $3 "
                + "FROM generate_series(1, $4::int) g", campaignId, status, t0, n);
    }

    long rows(String campaignId) throws Throwable {
        return count("SELECT count(*) FROM send_queue WHERE campaign_id = $1", campaignId);
    }

    Map<String, Long> progress(String campaignId) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> campaigns.progress(campaignId));
    }

    List<PlannedSendTimes.Hour> hours(String campaignId, String zone) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> sendTimes.byHour(campaignId, ZoneId.of(zone)));
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
