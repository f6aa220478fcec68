package io.sohbet.consent.iys;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.MonthDay;
import java.util.Set;

/**
 * Turkish business days (GMT+3) for İYS's 3-business-day upload limit: Monday to Friday without the national holidays
 * and the full days of Ramazan and Kurban Bayramı announced for 2024–2027 (later years: add them here). Half days (the
 * afternoons of 28 October and of each Bayram's eve) count as business days.
 */
public final class IysCalendar {

    private static final Set<MonthDay> FIXED = Set.of(MonthDay.of(1, 1), MonthDay.of(4, 23), MonthDay.of(5, 1),
            MonthDay.of(5, 19), MonthDay.of(7, 15), MonthDay.of(8, 30), MonthDay.of(10, 29));

    private static final Set<LocalDate> RELIGIOUS = Set.of(
            LocalDate.of(2024, 4, 10), LocalDate.of(2024, 4, 11), LocalDate.of(2024, 4, 12),
            LocalDate.of(2024, 6, 16), LocalDate.of(2024, 6, 17), LocalDate.of(2024, 6, 18), LocalDate.of(2024, 6, 19),
            LocalDate.of(2025, 3, 30), LocalDate.of(2025, 3, 31), LocalDate.of(2025, 4, 1),
            LocalDate.of(2025, 6, 6), LocalDate.of(2025, 6, 7), LocalDate.of(2025, 6, 8), LocalDate.of(2025, 6, 9),
            LocalDate.of(2026, 3, 20), LocalDate.of(2026, 3, 21), LocalDate.of(2026, 3, 22),
            LocalDate.of(2026, 5, 27), LocalDate.of(2026, 5, 28), LocalDate.of(2026, 5, 29), LocalDate.of(2026, 5, 30),
            LocalDate.of(2027, 3, 9), LocalDate.of(2027, 3, 10), LocalDate.of(2027, 3, 11),
            LocalDate.of(2027, 5, 16), LocalDate.of(2027, 5, 17), LocalDate.of(2027, 5, 18), LocalDate.of(2027, 5, 19));

    private IysCalendar() {
    }

    public static boolean isBusinessDay(LocalDate day) {
        return day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY
                && !FIXED.contains(MonthDay.from(day)) && !RELIGIOUS.contains(day);
    }

    /** The last moment a consent given at {@code consentDate} may reach İYS: the end of the 3rd business day after it. */
    public static Instant deadline(Instant consentDate) {
        LocalDate day = consentDate.atOffset(IysConsent.ZONE).toLocalDate();
        for (int left = 3; left > 0; ) {
            day = day.plusDays(1);
            if (isBusinessDay(day)) {
                left--;
            }
        }
        return day.plusDays(1).atStartOfDay().toInstant(IysConsent.ZONE).minusNanos(1000);
    }
}
