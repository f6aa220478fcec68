package io.sohbet.events;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.ZoneOffset;
import java.util.Set;

/**
 * Business days in Türkiye as İYS counts them for its 3-business-day upload limit, one calendar for consent-service
 * and devstack's İYS simulator: Monday to Friday, without the public holidays (the fixed national days, and the full
 * days of Ramazan and Kurban Bayramı as announced for 2024–2027: later years are added here). The half days (the
 * afternoons of 28 October and of each Bayram's eve) count as business days. All in GMT+3.
 */
public final class TurkishBusinessDays {

    /** Türkiye's time, in which İYS reads and writes every date. */
    public static final ZoneOffset ZONE = ZoneOffset.ofHours(3);

    private static final Set<MonthDay> FIXED = Set.of(MonthDay.of(1, 1), MonthDay.of(4, 23), MonthDay.of(5, 1),
            MonthDay.of(5, 19), MonthDay.of(7, 15), MonthDay.of(8, 30), MonthDay.of(10, 29));

    /** The days of Ramazan Bayramı (3) and Kurban Bayramı (4), by the lunar calendar. */
    private static final Set<LocalDate> RELIGIOUS = Set.of(
            LocalDate.of(2024, 4, 10), LocalDate.of(2024, 4, 11), LocalDate.of(2024, 4, 12),
            LocalDate.of(2024, 6, 16), LocalDate.of(2024, 6, 17), LocalDate.of(2024, 6, 18), LocalDate.of(2024, 6, 19),
            LocalDate.of(2025, 3, 30), LocalDate.of(2025, 3, 31), LocalDate.of(2025, 4, 1),
            LocalDate.of(2025, 6, 6), LocalDate.of(2025, 6, 7), LocalDate.of(2025, 6, 8), LocalDate.of(2025, 6, 9),
            LocalDate.of(2026, 3, 20), LocalDate.of(2026, 3, 21), LocalDate.of(2026, 3, 22),
            LocalDate.of(2026, 5, 27), LocalDate.of(2026, 5, 28), LocalDate.of(2026, 5, 29), LocalDate.of(2026, 5, 30),
            LocalDate.of(2027, 3, 9), LocalDate.of(2027, 3, 10), LocalDate.of(2027, 3, 11),
            LocalDate.of(2027, 5, 16), LocalDate.of(2027, 5, 17), LocalDate.of(2027, 5, 18), LocalDate.of(2027, 5, 19));

    private TurkishBusinessDays() {
    }

    public static boolean isBusinessDay(LocalDate day) {
        return day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY
                && !FIXED.contains(MonthDay.from(day)) && !RELIGIOUS.contains(day);
    }

    /** The {@code n}th business day after {@code day} (not counting {@code day} itself). */
    public static LocalDate plusBusinessDays(LocalDate day, int n) {
        LocalDate at = day;
        for (int left = n; left > 0; ) {
            at = at.plusDays(1);
            if (isBusinessDay(at)) {
                left--;
            }
        }
        return at;
    }
}
