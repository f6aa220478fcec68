package io.sohbet.campaign.service;

import io.sohbet.campaign.domain.CampaignDefinition;
import io.sohbet.campaign.domain.CampaignDefinition.Variant;
import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Bucketing, quiet hours, local times and send-time optimisation: the pure rules planning and sending apply. */
class SchedulingRulesTest {

    static final ZoneId ISTANBUL = ZoneId.of("Europe/Istanbul");
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final SendTimes.QuietHours DEFAULT_QUIET = new SendTimes.QuietHours(LocalTime.of(21, 0), LocalTime.of(9, 0));

    static Variant variant(String id, int weight) {
        return new Variant(id, weight, new CampaignDefinition.Message("text", null, "hi", null, null, null));
    }

    @Test
    void bucketsAreStablePerCampaignAndFollowTheWeights() {
        List<Variant> variants = List.of(variant("a", 70), variant("b", 20), variant("c", 10));
        Map<String, Integer> counts = new HashMap<>();
        int n = 50_000;
        int moved = 0;
        for (int i = 0; i < n; i++) {
            String subject = "subject-" + i;
            String v = Bucketing.variant("campaign-1", subject, variants);
            assertThat(Bucketing.variant("campaign-1", subject, variants)).isEqualTo(v);
            counts.merge(v, 1, Integer::sum);
            if (!Bucketing.variant("campaign-2", subject, variants).equals(v)) {
                moved++;
            }
        }
        double p = new ChiSquareTest().chiSquareTest(new double[] {0.7 * n, 0.2 * n, 0.1 * n},
                new long[] {counts.get("a"), counts.get("b"), counts.get("c")});
        assertThat(p).as("variant shares match the weights").isGreaterThan(0.001);
        assertThat(moved).as("another campaign splits the audience differently").isGreaterThan(n / 3);
    }

    @Test
    void holdoutAndTestPhaseAreIndependentFractions() {
        int n = 20_000;
        int held = 0;
        int test = 0;
        int both = 0;
        for (int i = 0; i < n; i++) {
            boolean h = Bucketing.heldOut("c", "s" + i, 10);
            boolean t = Bucketing.inTestPhase("c", "s" + i, 20);
            held += h ? 1 : 0;
            test += t ? 1 : 0;
            both += h && t ? 1 : 0;
        }
        assertThat(held).isBetween((int) (n * 0.09), (int) (n * 0.11));
        assertThat(test).isBetween((int) (n * 0.19), (int) (n * 0.21));
        assertThat(both).as("independent: about 10 % of 20 %").isBetween((int) (n * 0.015), (int) (n * 0.025));
        assertThat(Bucketing.heldOut("c", "anyone", 0)).isFalse();
    }

    @Test
    void quietHoursWrapMidnightAndEndAtTheirEndInTheRecipientsZone() {
        assertThat(DEFAULT_QUIET.contains(LocalTime.of(22, 30))).isTrue();
        assertThat(DEFAULT_QUIET.contains(LocalTime.of(3, 0))).isTrue();
        assertThat(DEFAULT_QUIET.contains(LocalTime.of(9, 0))).isFalse();
        assertThat(DEFAULT_QUIET.contains(LocalTime.of(20, 59))).isFalse();
        SendTimes.QuietHours lunch = new SendTimes.QuietHours(LocalTime.of(12, 0), LocalTime.of(13, 0));
        assertThat(lunch.contains(LocalTime.of(12, 30))).isTrue();
        assertThat(lunch.contains(LocalTime.of(13, 0))).isFalse();
        assertThat(SendTimes.QuietHours.NONE.contains(LocalTime.of(3, 0))).isFalse();

        Instant lateEvening = Instant.parse("2026-11-23T19:30:00Z"); // 22:30 in Istanbul, 20:30 in Berlin
        assertThat(DEFAULT_QUIET.nextAllowed(lateEvening, ISTANBUL)).isEqualTo(Instant.parse("2026-11-24T06:00:00Z"));
        assertThat(DEFAULT_QUIET.nextAllowed(lateEvening, BERLIN)).isEqualTo(lateEvening);
        Instant night = Instant.parse("2026-11-24T02:00:00Z"); // 05:00 in Istanbul
        assertThat(DEFAULT_QUIET.nextAllowed(night, ISTANBUL)).isEqualTo(Instant.parse("2026-11-24T06:00:00Z"));
    }

    @Test
    void localTimeIsTheNextOccurrenceInTheZone() {
        Instant start = Instant.parse("2026-11-23T08:00:00Z"); // 11:00 Istanbul, 09:00 Berlin
        assertThat(SendTimes.localTime(start, LocalTime.of(10, 0), ISTANBUL)).isEqualTo(Instant.parse("2026-11-24T07:00:00Z"));
        assertThat(SendTimes.localTime(start, LocalTime.of(10, 0), BERLIN)).isEqualTo(Instant.parse("2026-11-23T09:00:00Z"));
        assertThat(SendTimes.localTime(start, LocalTime.of(11, 0), ISTANBUL)).isEqualTo(start);
    }

    @Test
    void bestTimeTakesTheFirstBestHourInsideTheWindowAndOutsideQuietHours() {
        Instant start = Instant.parse("2026-11-23T07:00:00Z"); // 10:00 Istanbul
        Duration day = Duration.ofHours(24);
        // best hour 19:00 → today 19:00 Istanbul (16:00 UTC), spread a quarter into the hour
        assertThat(SendTimes.bestTime(start, day, List.of(19), ISTANBUL, ISTANBUL, DEFAULT_QUIET, 0.25))
                .isEqualTo(Instant.parse("2026-11-23T16:15:00Z"));
        // best hour 8:00 → tomorrow 08:00 is in quiet hours (until 09:00): the second best hour, 20:00, today
        assertThat(SendTimes.bestTime(start, day, List.of(8, 20), ISTANBUL, ISTANBUL, DEFAULT_QUIET, 0))
                .isEqualTo(Instant.parse("2026-11-23T17:00:00Z"));
        // the current hour: from now, not from its start
        assertThat(SendTimes.bestTime(start.plusSeconds(1200), day, List.of(10), ISTANBUL, ISTANBUL, DEFAULT_QUIET, 0))
                .isEqualTo(start.plusSeconds(1200));
        // a 3-hour window cannot reach 19:00: the next usable hour in the list, else the start
        assertThat(SendTimes.bestTime(start, Duration.ofHours(3), List.of(19, 11), ISTANBUL, ISTANBUL, DEFAULT_QUIET, 0))
                .isEqualTo(Instant.parse("2026-11-23T08:00:00Z"));
        assertThat(SendTimes.bestTime(start, Duration.ofHours(3), List.of(19), ISTANBUL, ISTANBUL, DEFAULT_QUIET, 0)).isEqualTo(start);
        // no history at all, starting in quiet hours: when they end
        Instant night = Instant.parse("2026-11-23T20:00:00Z"); // 23:00 Istanbul
        assertThat(SendTimes.bestTime(night, day, List.of(), ISTANBUL, ISTANBUL, DEFAULT_QUIET, 0))
                .isEqualTo(Instant.parse("2026-11-24T06:00:00Z"));
    }

    @Test
    void planningRulesPutEveryoneInOneGroupWithADueTime() {
        CampaignDefinition d = new CampaignDefinition("ab", new CampaignDefinition.Audience(List.of("vip"), null, 10),
                List.of(variant("a", 1), variant("b", 1)), new CampaignDefinition.AbTest(20, Duration.ofHours(4), null, null),
                new CampaignDefinition.Schedule("best-time", null, Duration.ofHours(24), null), null, null, false, null);
        Instant start = Instant.parse("2026-11-23T07:00:00Z");
        Planner.Rules rules = new Planner.Rules("camp", d, start, start.plus(Duration.ofHours(4)), DEFAULT_QUIET, ISTANBUL, List.of(18));
        Map<String, Integer> phases = new HashMap<>();
        for (int i = 0; i < 5000; i++) {
            Planner.Planned p = rules.plan("s" + i, i % 2 == 0 ? List.of(12) : null);
            phases.merge(p.phase(), 1, Integer::sum);
            switch (p.phase()) {
                case "holdout" -> assertThat(p.status()).isEqualTo("held-out");
                case "test" -> {
                    assertThat(p.variant()).isIn("a", "b");
                    assertThat(p.due().atZone(ISTANBUL).getHour()).isEqualTo(i % 2 == 0 ? 12 : 18);
                }
                default -> {
                    assertThat(p.status()).isEqualTo("waiting");
                    assertThat(p.variant()).isNull();
                    // the rest's window starts when the test ends (11:00 UTC = 14:00 Istanbul): own hour 12 is tomorrow
                    assertThat(p.due()).isAfterOrEqualTo(start.plus(Duration.ofHours(4)));
                }
            }
        }
        assertThat(phases.get("holdout")).isBetween(400, 600);
        assertThat(phases.get("test")).isBetween(800, 1000);
    }
}
