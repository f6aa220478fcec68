package io.sohbet.metrics.service;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Set;

/** Working hours in the business time zone (e.g. 09:00–18:00, Monday to Friday), to measure times in working time. */
public record BusinessHours(ZoneId zone, LocalTime opens, LocalTime closes, Set<DayOfWeek> days) {

    public BusinessHours {
        if (!opens.isBefore(closes)) {
            throw new IllegalArgumentException("business hours must open before they close");
        }
    }

    /** The working time between two instants (zero when {@code to} is not after {@code from}). */
    public Duration between(Instant from, Instant to) {
        if (!to.isAfter(from)) {
            return Duration.ZERO;
        }
        Duration total = Duration.ZERO;
        LocalDate day = from.atZone(zone).toLocalDate();
        LocalDate last = to.atZone(zone).toLocalDate();
        while (!day.isAfter(last)) {
            if (days.contains(day.getDayOfWeek())) {
                Instant open = ZonedDateTime.of(day, opens, zone).toInstant();
                Instant close = ZonedDateTime.of(day, closes, zone).toInstant();
                Instant start = from.isAfter(open) ? from : open;
                Instant end = to.isBefore(close) ? to : close;
                if (end.isAfter(start)) {
                    total = total.plus(Duration.between(start, end));
                }
            }
            day = day.plusDays(1);
        }
        return total;
    }
}
