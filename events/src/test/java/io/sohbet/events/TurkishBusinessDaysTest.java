package io.sohbet.events;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

class TurkishBusinessDaysTest {

    @Test
    void weekendsAndHolidaysAreNotBusinessDays() {
        assertThat(TurkishBusinessDays.isBusinessDay(LocalDate.of(2026, 11, 30))).isTrue(); // Monday
        assertThat(TurkishBusinessDays.isBusinessDay(LocalDate.of(2026, 11, 28))).isFalse(); // Saturday
        assertThat(TurkishBusinessDays.isBusinessDay(LocalDate.of(2026, 10, 29))).isFalse(); // Republic Day, a Thursday
        assertThat(TurkishBusinessDays.isBusinessDay(LocalDate.of(2026, 5, 27))).isFalse(); // Kurban Bayramı
        assertThat(TurkishBusinessDays.isBusinessDay(LocalDate.of(2026, 10, 28))).isTrue(); // half day: counts
    }

    @Test
    void threeBusinessDaysSkipWeekendsAndHolidays() {
        // Friday 23 Oct 2026 + 3: Monday 26, Tuesday 27, Wednesday 28 (Thursday 29 is a holiday)
        assertThat(TurkishBusinessDays.plusBusinessDays(LocalDate.of(2026, 10, 23), 3)).isEqualTo(LocalDate.of(2026, 10, 28));
        // Tuesday 27 Oct + 3: Wednesday 28, (29 holiday), Friday 30, Monday 2 Nov
        assertThat(TurkishBusinessDays.plusBusinessDays(LocalDate.of(2026, 10, 27), 3)).isEqualTo(LocalDate.of(2026, 11, 2));
        // Monday 25 May 2026 + 3: Tuesday 26, (27–30 Kurban Bayramı, 31 Sunday), Monday 1 June, Tuesday 2 June
        assertThat(TurkishBusinessDays.plusBusinessDays(LocalDate.of(2026, 5, 25), 3)).isEqualTo(LocalDate.of(2026, 6, 2));
    }
}
