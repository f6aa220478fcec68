package io.sohbet.webhook.messaging;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The waiting deliveries of an event loop: answered ones leave at once, the rest expire after the timeout, in order. */
class WaitingTest {

    private static final long TIMEOUT = 5_000;

    private static final class Delivery extends Waiting.Entry {
        private final List<Delivery> expired;

        Delivery(long started, List<Delivery> expired) {
            super(started);
            this.expired = expired;
        }

        @Override
        void expired() {
            expired.add(this);
        }
    }

    @Test
    void onlyTheDeliveriesThatWaitedTheTimeoutExpireOldestFirst() {
        Waiting waiting = new Waiting(TIMEOUT);
        List<Delivery> expired = new ArrayList<>();
        Delivery first = new Delivery(0, expired);
        Delivery second = new Delivery(10, expired);
        Delivery third = new Delivery(20, expired);
        waiting.add(first);
        waiting.add(second);
        waiting.add(third);

        waiting.sweep(TIMEOUT - 1);
        assertThat(expired).isEmpty();
        waiting.sweep(TIMEOUT + 10);
        assertThat(expired).containsExactly(first, second);
        assertThat(waiting.size()).isEqualTo(1);
        waiting.remove(second); // answered after it expired: nothing happens twice
        waiting.remove(third);
        waiting.sweep(Long.MAX_VALUE);
        assertThat(expired).containsExactly(first, second);
        assertThat(waiting.size()).isZero();
    }

    @Test
    void answeredDeliveriesLeaveFromAnyPlaceAndNeverExpire() {
        Random random = new Random(20261204L);
        Waiting waiting = new Waiting(TIMEOUT);
        List<Delivery> expired = new ArrayList<>();
        List<Delivery> listed = new ArrayList<>();
        List<Delivery> answered = new ArrayList<>();
        long now = 0;
        int added = 0;
        for (int i = 0; i < 20_000; i++) {
            now += random.nextInt(3);
            if (listed.isEmpty() || random.nextInt(3) > 0) {
                Delivery delivery = new Delivery(now, expired);
                waiting.add(delivery);
                listed.add(delivery);
                added++;
            } else {
                Delivery delivery = listed.remove(random.nextInt(listed.size()));
                waiting.remove(delivery);
                answered.add(delivery);
            }
            if (random.nextInt(100) == 0) {
                long at = now;
                waiting.sweep(at);
                List<Delivery> due = listed.stream().filter(d -> at - d.started >= TIMEOUT).toList();
                listed.removeAll(due);
            }
            assertThat(waiting.size()).isEqualTo(listed.size());
        }
        long end = now;
        assertThat(expired).doesNotContainAnyElementsOf(answered).allMatch(d -> d.started <= end - TIMEOUT);
        waiting.sweep(Long.MAX_VALUE);
        assertThat(waiting.size()).isZero();
        assertThat(expired).hasSize(added - answered.size()).doesNotHaveDuplicates();
    }

    @Test
    void theSweepRunsOftenEnoughForTheTimeoutAndNotMore() {
        assertThat(EventPublisher.sweepEvery(Duration.ofSeconds(5))).isEqualTo(100);
        assertThat(EventPublisher.sweepEvery(Duration.ofMillis(300))).isEqualTo(30);
        assertThat(EventPublisher.sweepEvery(Duration.ofMillis(1))).isEqualTo(10);
    }
}
