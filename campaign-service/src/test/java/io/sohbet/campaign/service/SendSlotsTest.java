package io.sohbet.campaign.service;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The slot grid: the whole rate in every calendar second, never more, nothing in a second's last margin. */
class SendSlotsTest {

    static final Duration TAIL = Duration.ofMillis(20);

    static Map<Long, Integer> perSecond(SendSlots slots, Instant from, int n) {
        Map<Long, Integer> counts = new TreeMap<>();
        Instant slot = slots.atOrAfter(from);
        for (int i = 0; i < n; i++) {
            counts.merge(slot.getEpochSecond(), 1, Integer::sum);
            assertThat(slot).isBefore(slots.deadline(slot));
            // stored by PostgreSQL in microseconds: read back, it is the same slot
            assertThat(slots.atOrAfter(slot.truncatedTo(ChronoUnit.MICROS))).isEqualTo(slot);
            slot = slots.after(slot, 1);
        }
        return counts;
    }

    @Test
    void everyWholeSecondHoldsExactlyTheRateAndNoSlotFallsInItsLastMargin() {
        for (double rate : new double[] {1000, 80, 64, 20, 1000 * 0.8 * 0.8, 3}) {
            SendSlots slots = SendSlots.of(rate, TAIL);
            Instant from = Instant.parse("2026-12-01T06:00:00.123456789Z");
            Map<Long, Integer> counts = perSecond(slots, from, (int) Math.floor(rate) * 5);
            assertThat(counts.values()).as("rate %s", rate).allMatch(c -> c <= slots.perSecond());
            // the seconds between the first and the last are full: the grid gives the whole rate, not less
            counts.entrySet().stream().skip(1).limit(counts.size() - 2)
                    .forEach(e -> assertThat(e.getValue()).as("rate %s, second %s", rate, e.getKey()).isEqualTo((int) Math.floor(rate)));
        }
    }

    @Test
    void slotsAreConsecutiveBothWaysAndStartOnTheGrid() {
        SendSlots slots = SendSlots.of(1000, TAIL);
        Instant start = slots.atOrAfter(Instant.parse("2026-12-01T06:00:00.999000Z"));
        // in the margin: the next second's first slot
        assertThat(start).isEqualTo(Instant.parse("2026-12-01T06:00:01Z"));
        assertThat(slots.after(start, 999)).isEqualTo(Instant.parse("2026-12-01T06:00:01.979020Z"));
        assertThat(slots.after(start, 1000)).isEqualTo(Instant.parse("2026-12-01T06:00:02Z"));
        for (int n : new int[] {1, 7, 250, 999, 1000, 2501}) {
            assertThat(slots.after(slots.after(start, n), -n)).isEqualTo(start);
        }
        assertThat(slots.deadline(slots.after(start, 999))).isEqualTo(Instant.parse("2026-12-01T06:00:01.980Z"));
    }

    @Test
    void aFasterRateFromTheMiddleOfASecondNeverPutsMoreThanTheFasterRateIntoIt() {
        // a throttled rate recovering (slowdown 0.64 -> 0.8) mid-second: the slots handed out at each rate, together
        SendSlots slow = SendSlots.of(640, TAIL);
        SendSlots fast = SendSlots.of(800, TAIL);
        Instant second = Instant.parse("2026-12-01T06:00:05Z");
        for (int before = 0; before <= 640; before += 37) {
            Instant next = slow.after(second, before);
            int count = before;
            for (Instant s = fast.atOrAfter(next); s.getEpochSecond() == second.getEpochSecond(); s = fast.after(s, 1)) {
                count++;
            }
            assertThat(count).as("%d slots at 640/s first", before).isLessThanOrEqualTo(800);
        }
    }
}
