package io.sohbet.consent.iys;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class IysCalendarTest {

    @Test
    void theDeadlineIsTheEndOfTheThirdBusinessDayInTurkishTime() {
        // Friday 23 Oct 2026 14:00 in Türkiye: Monday 26, Tuesday 27, Wednesday 28 (29 October is a holiday)
        assertThat(IysCalendar.deadline(Instant.parse("2026-10-23T11:00:00Z")))
                .isEqualTo(Instant.parse("2026-10-28T20:59:59.999999Z"));
        // Tuesday 27 Oct 2026: Wednesday 28, Friday 30, Monday 2 November
        assertThat(IysCalendar.deadline(Instant.parse("2026-10-27T08:00:00Z")))
                .isEqualTo(Instant.parse("2026-11-02T20:59:59.999999Z"));
        // Saturday 23 May 2026 at 23:30 UTC is already Sunday 24 in Türkiye: Monday 25, Tuesday 26, then Kurban Bayramı
        // (27–30) and a Sunday: Monday 1 June
        assertThat(IysCalendar.deadline(Instant.parse("2026-05-23T23:30:00Z")))
                .isEqualTo(Instant.parse("2026-06-01T20:59:59.999999Z"));
    }
}
