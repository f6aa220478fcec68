package io.sohbet.campaign.service;

import io.quarkus.test.junit.QuarkusTest;
import io.sohbet.campaign.PeerStandIns;
import io.sohbet.campaign.rest.CampaignResourceTest;
import io.sohbet.campaign.service.SendingTest.QueueRow;
import io.sohbet.devstack.whatsapp.CloudApiSimulator;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.sohbet.campaign.service.SendingTest.awaitStatus;
import static io.sohbet.campaign.service.SendingTest.launch;
import static io.sohbet.campaign.service.SendingTest.rows;
import static io.sohbet.campaign.service.SendingTest.sentTo;
import static io.sohbet.campaign.service.SendingTest.wa;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The phone number's throughput at the edges, against the simulator enforcing Meta's limit: 130429 slows the shared
 * rate down until requests stop being refused, and costs no recipient an attempt; quick retries of requests that were
 * not accepted take slots of the shared rate (they never push it over the limit) and there are as many as
 * {@code whatsapp.retries} says (2 in tests).
 */
@QuarkusTest
class ThrottlingTest {

    @Inject
    Pool pool;

    @Test
    void aLowerLimitAtMetaSlowsTheSharedRateDownAndCostsNobodyAnAttempt() throws Throwable {
        CloudApiSimulator sim = PeerStandIns.simulator;
        List<String> s = new ArrayList<>();
        String segment = PeerStandIns.audience("throttle", 120, s);
        // Meta now takes 8 messages a second; this service sends 20 (the test profile)
        sim.maxPerSecond(8);
        List<Integer> throttledPerSecond = new ArrayList<>();
        try {
            int before = sim.throttled();
            String id = launch(CampaignResourceTest.draft(segment));
            int last = before;
            long deadline = System.currentTimeMillis() + 60_000;
            while (sentTo(s).size() < 120 && System.currentTimeMillis() < deadline) {
                Thread.sleep(1000);
                int now = sim.throttled();
                throttledPerSecond.add(now - last);
                last = now;
            }
            awaitStatus(id, "completed", Duration.ofSeconds(30));
            Map<String, QueueRow> rows = rows(pool, id);
            assertThat(rows.values()).as("everyone sent once, nobody failed for a global condition")
                    .allSatisfy(r -> assertThat(r.status()).isEqualTo("sent"));
            assertThat(rows.values()).as("a 130429 is not an attempt").allSatisfy(r -> assertThat(r.attempts()).isEqualTo(1));
            assertThat(sentTo(s)).hasSize(120);
            int total = sim.throttled() - before;
            System.out.printf("[throttling] 130429 per second at a limit of 8/s (sending at 20/s): %s, %d in all%n", throttledPerSecond, total);
            // a sender that kept 20/s would be refused 12 times a second for the whole ~15 s; this one slows down within
            // seconds and is then refused only now and then, when its rate creeps back up
            assertThat(throttledPerSecond.size()).isGreaterThanOrEqualTo(10);
            List<Integer> lastHalf = throttledPerSecond.subList(throttledPerSecond.size() / 2, throttledPerSecond.size());
            assertThat(lastHalf.stream().mapToInt(Integer::intValue).sum()).as("130429s in the second half: %s", throttledPerSecond)
                    .isLessThanOrEqualTo(lastHalf.size() * 2);
            assertThat(total).isLessThan(120);
        } finally {
            sim.maxPerSecond(sim.config().maxPerSecond());
        }
    }

    @Test
    void quickRetriesTakeSlotsOfTheSharedRateAndFollowTheRetriesSetting() throws Throwable {
        CloudApiSimulator sim = PeerStandIns.simulator;
        List<String> s = new ArrayList<>();
        String segment = PeerStandIns.audience("retries", 41, s);
        // Meta takes exactly this service's rate; every request counts, the refused ones too
        sim.maxPerSecond(20);
        try {
            for (int i = 0; i < 40; i++) {
                sim.script(wa(s.get(i)), new CloudApiSimulator.Unavailable(), new CloudApiSimulator.Deliver(null));
            }
            // three failures: more than the two quick retries of an attempt, so the recipient goes back to the queue once
            sim.script(wa(s.get(40)), new CloudApiSimulator.Unavailable(), new CloudApiSimulator.Unavailable(),
                    new CloudApiSimulator.Unavailable(), new CloudApiSimulator.Deliver(null));
            int before = sim.throttled();
            String id = launch(CampaignResourceTest.draft(segment));
            awaitStatus(id, "completed", Duration.ofSeconds(60));
            Map<String, QueueRow> rows = rows(pool, id);
            assertThat(rows.values()).allSatisfy(r -> assertThat(r.status()).isEqualTo("sent"));
            for (int i = 0; i < 40; i++) {
                assertThat(rows.get(s.get(i)).attempts()).as("retried within the attempt").isEqualTo(1);
            }
            assertThat(rows.get(s.get(40)).attempts()).as("1 + 2 quick retries, then a second attempt").isEqualTo(2);
            // 81 requests at the limit's rate: retries outside the shared rate would double it and be refused
            assertThat(sim.throttled() - before).as("130429 answers").isLessThanOrEqualTo(2);
        } finally {
            sim.maxPerSecond(sim.config().maxPerSecond());
        }
    }
}
