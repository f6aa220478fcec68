package io.sohbet.segment.service;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
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
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The retention job deletes interactions, sent messages and orders older than their period, and only those, in bounded
 * batches, and sends what it deleted on privacy.destruction (counts only). The rows are of a year no other test uses;
 * the run's clock is set so that the test profile's periods (100 years) end between the old rows and the kept ones.
 */
@QuarkusTest
class SegmentRetentionTest {

    @Inject
    Pool pool;
    @Inject
    SegmentRetention retention;

    final String run = Long.toHexString(System.nanoTime());
    final Instant t0 = Instant.parse("1951-01-01T09:00:00Z").plus(Duration.ofDays(ThreadLocalRandom.current().nextInt(10_000)));
    final Instant now = t0.plus(Duration.ofDays(36_500 + 100));
    final String subject = "ret" + run;
    final String gone = "ret" + run + "gone";

    @Test
    void deletesOnlyRowsOlderThanTheirPeriodAndSaysSoOnce() throws Throwable {
        // 1005 old interactions (more than a batch of 1000: two transactions) and a kept one, 2 old sent messages and a
        // kept one, an old order and a kept one
        sql("INSERT INTO interaction (event_id, subject_id, at, kind) SELECT 'ret:" + run + ":' || g, $1, $2::timestamptz "
                + "+ g * interval '1 second', 'read' FROM generate_series(1, 1005) g", subject, t0);
        sql("INSERT INTO interaction (event_id, subject_id, at, kind) VALUES ($1, $2, $3, 'click')", "ret:" + run + ":kept", subject,
                t0.plus(Duration.ofDays(200)));
        for (int i = 0; i < 3; i++) {
            sql("INSERT INTO sent_message (wamid, subject_id, content, sent_at) VALUES ($1, $2, 'text', $3)", "mid_ret" + run + i,
                    subject, t0.plus(Duration.ofDays(i == 2 ? 200 : i)));
        }
        sql("INSERT INTO shop_order (order_id, subject_id, at, total, currency) VALUES ($1, $2, $3, 10, 'TRY')", "o-ret-" + run + "-old",
                subject, t0);
        sql("INSERT INTO shop_order (order_id, subject_id, at, total, currency) VALUES ($1, $2, $3, 10, 'TRY')", "o-ret-" + run + "-new",
                subject, t0.plus(Duration.ofDays(101)));

        // the kept person's profile stays (a kept interaction); another's, with only an old interaction left, goes with
        // its segment membership, announced as left
        sql("INSERT INTO profile (subject_id, first_seen_at, last_seen_at) VALUES ($1, $2, $2), ($3, $2, $2)", subject, t0, gone);
        sql("INSERT INTO interaction (event_id, subject_id, at, kind) VALUES ($1, $2, $3, 'reply')", "ret:" + run + ":gone", gone, t0);
        sql("INSERT INTO segment_member (segment_id, subject_id, since) VALUES ('active', $1, $2), ('active', $3, $2)", subject, t0, gone);

        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.PRIVACY_DESTRUCTION, Topics.SEGMENT_MEMBERSHIP)) {
            long deleted = VertxContextSupport.subscribeAndAwait(() -> retention.run(now));
            assertThat(deleted).isEqualTo(1005 + 1 + 2 + 1 + 1 + 1);
            assertThat(count("profile")).isEqualTo(1);
            assertThat(VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT (SELECT count(*) FROM profile WHERE "
                    + "subject_id = $1) + (SELECT count(*) FROM segment_member WHERE subject_id = $1) + (SELECT count(*) FROM "
                    + "interaction WHERE subject_id = $1)").execute(Tuple.of(gone))).iterator().next().getLong(0)).isZero();
            // the membership left and the two destruction events in one wait: a wait drops what its filter does not take,
            // and the relay may publish them in one batch in any order of transactions
            List<ConsumerRecord<String, CloudEvent>> arrived = kafka.await(3, r -> r.topic().equals(Topics.SEGMENT_MEMBERSHIP)
                    && gone.equals(r.key()) || r.topic().equals(Topics.PRIVACY_DESTRUCTION) && r.value().time().equals(now),
                    Duration.ofSeconds(30));
            ConsumerRecord<String, CloudEvent> left = arrived.stream().filter(r -> r.topic().equals(Topics.SEGMENT_MEMBERSHIP))
                    .findFirst().orElseThrow();
            assertThat(left.value().dataAs(io.sohbet.events.payload.SegmentMembership.class).change()).isEqualTo("left");
            assertThat(count("interaction")).isEqualTo(1);
            assertThat(count("sent_message")).isEqualTo(1);
            assertThat(count("shop_order")).isEqualTo(1);
            assertThat(VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT event_id FROM interaction WHERE subject_id = $1")
                    .execute(Tuple.of(subject))).iterator().next().getString(0)).isEqualTo("ret:" + run + ":kept");

            // two transactions (1000 + 5 interactions): two events, each once, keyed by the service, no subject id
            List<ConsumerRecord<String, CloudEvent>> records = arrived.stream()
                    .filter(r -> r.topic().equals(Topics.PRIVACY_DESTRUCTION)).toList();
            assertThat(records).hasSize(2);
            Map<String, Long> total = new LinkedHashMap<>();
            for (ConsumerRecord<String, CloudEvent> record : records) {
                assertThat(record.key()).isEqualTo("segment-service");
                assertThat(record.value().subject()).isNull();
                assertThat(String.valueOf(record.value())).doesNotContain(subject).doesNotContain(gone);
                PrivacyDestruction d = record.value().dataAs(PrivacyDestruction.class);
                assertThat(d.service()).isEqualTo("segment-service");
                d.entries().forEach(e -> total.merge(e.dataset(), e.records(), Long::sum));
                assertThat(d.entries()).allSatisfy(e -> {
                    assertThat(e.method()).isEqualTo(PrivacyDestruction.DELETION);
                    assertThat(e.records()).isPositive();
                    assertThat(e.legalReason()).contains("sohbet.segment.retention.").contains("P36500D");
                });
            }
            assertThat(records).extracting(r -> r.value().dataAs(PrivacyDestruction.class).runId()).doesNotHaveDuplicates();
            assertThat(total).containsExactlyInAnyOrderEntriesOf(Map.of("interaction", 1006L, "sent_message", 2L, "shop_order", 1L,
                    "profile", 1L, "segment_member", 1L));
        }
        // nothing left to delete: no event
        assertThat(VertxContextSupport.subscribeAndAwait(() -> retention.run(now))).isZero();
    }

    @Test
    void periodsShorterThanTheProfileWindowsOrASixMonthScheduleAreRefused() {
        assertThat(SegmentRetention.problem(Duration.ofDays(90), Duration.ofDays(400), 60)).isEmpty();
        assertThat(SegmentRetention.problem(Duration.ofDays(89), Duration.ofDays(400), 60)).get().asString()
                .contains("at least 90 days");
        assertThat(SegmentRetention.problem(Duration.ofDays(90), Duration.ofDays(400), 90)).get().asString()
                .contains("longer than sohbet.segment.thresholds.at-risk-days (90)");
        assertThat(SegmentRetention.problem(Duration.ofDays(90), Duration.ofDays(29), 60)).get().asString()
                .contains("sohbet.segment.retention.orders must be at least 30 days");
        ZonedDateTime at = ZonedDateTime.of(2026, 12, 1, 4, 0, 0, 0, ZoneOffset.UTC);
        assertThat(DestructionInterval.problem(SegmentRetention.CRON_SETTING, SegmentRetention.EXEMPT_SETTING, "0 50 3 * * ?", false,
                at)).isEmpty();
        assertThat(DestructionInterval.problem(SegmentRetention.CRON_SETTING, SegmentRetention.EXEMPT_SETTING, "0 0 0 1 1/7 ?", false,
                at)).get().asString().startsWith("sohbet.segment.retention.cron must run the retention job at least every 6 months");
    }

    long count(String table) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT count(*) FROM " + table + " WHERE subject_id = $1")
                .execute(Tuple.of(subject))).iterator().next().getLong(0);
    }

    void sql(String statement, Object... params) throws Throwable {
        Object[] values = new Object[params.length];
        for (int i = 0; i < params.length; i++) {
            values[i] = params[i] instanceof Instant at ? at.atOffset(ZoneOffset.UTC) : params[i];
        }
        VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery(statement).execute(Tuple.from(values)));
    }
}
