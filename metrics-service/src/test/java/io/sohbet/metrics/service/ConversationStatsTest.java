package io.sohbet.metrics.service;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The compact times of many conversations give the very means and medians of {@link ConversationTimes}. */
class ConversationStatsTest {

    @Test
    void meansAndMediansAreThoseOfTheDurations() {
        Random random = new Random(20);
        for (int n = 0; n <= 41; n++) {
            ConversationStats stats = new ConversationStats();
            List<Duration> responses = new ArrayList<>();
            List<Duration> resolutions = new ArrayList<>();
            for (int subject = 0; subject < n; subject++) {
                // microseconds, as PostgreSQL keeps them: a median of two may fall between milliseconds
                Duration response = Duration.ofNanos(1_000L * random.nextInt(2_000_000_000));
                Duration resolution = response.plusMillis(random.nextInt(10_000));
                responses.add(response);
                resolutions.add(resolution);
                stats.add(new ConversationTimes.Sample(new ArrayList<>(List.of(response)), new ArrayList<>(), new ArrayList<>(),
                        new ArrayList<>(), new ArrayList<>(List.of(resolution)), new ArrayList<>(), 1, 0));
            }
            assertThat(stats.responses().mean()).isEqualTo(ConversationTimes.mean(responses));
            assertThat(stats.responses().median()).isEqualTo(ConversationTimes.median(responses));
            assertThat(stats.resolutions().median()).isEqualTo(ConversationTimes.median(resolutions));
            assertThat(stats.responses().size()).isEqualTo(n);
            assertThat(stats.conversations()).isEqualTo(n);
            assertThat(stats.firstResponses().mean()).isNull();
        }
    }

    @Test
    void aSubjectsSampleIsAddedWhole() {
        Instant t = Instant.parse("2026-10-05T07:00:00Z");
        BusinessHours hours = new BusinessHours(java.time.ZoneId.of("Europe/Istanbul"), java.time.LocalTime.of(9, 0),
                java.time.LocalTime.of(18, 0), java.util.EnumSet.range(java.time.DayOfWeek.MONDAY, java.time.DayOfWeek.FRIDAY));
        ConversationTimes.Sample sample = ConversationTimes.measure(List.of(
                new ConversationTimes.Point(t, ConversationTimes.Kind.CUSTOMER),
                new ConversationTimes.Point(t.plus(Duration.ofMinutes(12)), ConversationTimes.Kind.BUSINESS),
                new ConversationTimes.Point(t.plus(Duration.ofHours(2)), ConversationTimes.Kind.CUSTOMER)),
                Duration.ofHours(24), hours, t.plus(Duration.ofHours(3)));
        ConversationStats stats = new ConversationStats();
        stats.add(sample);
        assertThat(stats.conversations()).isEqualTo(1);
        assertThat(stats.open()).isEqualTo(1);
        assertThat(stats.responses().size()).isEqualTo(1);
        assertThat(stats.firstResponsesInBusinessHours().mean()).isEqualTo(Duration.ofMinutes(12));
        assertThat(stats.resolutions().mean()).isNull();
    }
}
