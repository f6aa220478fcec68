package io.sohbet.metrics.service;

import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;

import static io.sohbet.metrics.service.ConversationTimes.Kind.BUSINESS;
import static io.sohbet.metrics.service.ConversationTimes.Kind.CUSTOMER;
import static io.sohbet.metrics.service.ConversationTimes.Kind.RESOLVED;
import static org.assertj.core.api.Assertions.assertThat;

class ConversationTimesTest {

    static final ZoneId ISTANBUL = ZoneId.of("Europe/Istanbul");
    static final BusinessHours HOURS = new BusinessHours(ISTANBUL, LocalTime.of(9, 0), LocalTime.of(18, 0),
            EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY));
    static final Duration DAY = Duration.ofHours(24);

    static ConversationTimes.Point at(String local, ConversationTimes.Kind kind) {
        return new ConversationTimes.Point(java.time.LocalDateTime.parse(local).atZone(ISTANBUL).toInstant(), kind);
    }

    @Test
    void responsesRunFromTheFirstUnansweredMessageAndAResolveEndsTheConversation() {
        ConversationTimes.Sample s = ConversationTimes.measure(List.of(
                at("2026-11-02T10:00", CUSTOMER), at("2026-11-02T10:05", CUSTOMER), at("2026-11-02T10:20", BUSINESS),
                at("2026-11-02T11:00", CUSTOMER), at("2026-11-02T11:10", BUSINESS), at("2026-11-02T12:00", RESOLVED)),
                DAY, HOURS, Instant.parse("2026-11-10T00:00:00Z"));
        assertThat(s.responses()).containsExactly(Duration.ofMinutes(20), Duration.ofMinutes(10));
        assertThat(ConversationTimes.mean(s.responses())).isEqualTo(Duration.ofMinutes(15));
        assertThat(s.firstResponses()).containsExactly(Duration.ofMinutes(20));
        assertThat(s.resolutions()).containsExactly(Duration.ofHours(2));
        assertThat(s.resolutionsInBusinessHours()).containsExactly(Duration.ofHours(2));
        assertThat(s.conversations()).isEqualTo(1);
        assertThat(s.open()).isZero();
    }

    @Test
    void businessHoursSkipNightsAndWeekends() {
        // Friday 17:30 → Monday 09:30: 64 h on the clock, one working hour
        ConversationTimes.Sample s = ConversationTimes.measure(List.of(
                at("2026-11-06T17:30", CUSTOMER), at("2026-11-09T09:30", BUSINESS)), Duration.ofDays(7), HOURS,
                Instant.parse("2026-11-09T07:00:00Z"));
        assertThat(s.responses()).containsExactly(Duration.ofHours(64));
        assertThat(s.responsesInBusinessHours()).containsExactly(Duration.ofHours(1));
        assertThat(s.open()).isEqualTo(1);
        assertThat(s.resolutions()).isEmpty();
    }

    @Test
    void inactivityResolvesAtTheLastMessageAndANewMessageStartsANewConversation() {
        ConversationTimes.Sample s = ConversationTimes.measure(List.of(
                at("2026-11-02T10:00", CUSTOMER), at("2026-11-02T10:05", BUSINESS),
                at("2026-11-03T16:00", CUSTOMER), at("2026-11-03T16:30", BUSINESS)), DAY, HOURS,
                Instant.parse("2026-11-10T00:00:00Z"));
        assertThat(s.conversations()).isEqualTo(2);
        assertThat(s.resolutions()).containsExactly(Duration.ofMinutes(5), Duration.ofMinutes(30));
        assertThat(s.firstResponses()).containsExactly(Duration.ofMinutes(5), Duration.ofMinutes(30));
        assertThat(ConversationTimes.median(s.firstResponses())).isEqualTo(Duration.ofMinutes(17).plusSeconds(30));
    }
}
