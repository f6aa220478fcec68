package io.sohbet.campaign.service;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * When a recipient's message is due: quiet hours in the recipient's time zone, local times, and send-time
 * optimisation (the first of the recipient's best hours that falls inside the window and outside quiet hours).
 */
public final class SendTimes {

    private SendTimes() {
    }

    /** Quiet hours from {@code start} to {@code end} local time (wrapping midnight when start is after end). */
    public record QuietHours(LocalTime start, LocalTime end) {

        public static final QuietHours NONE = new QuietHours(LocalTime.MIDNIGHT, LocalTime.MIDNIGHT);

        public boolean contains(LocalTime t) {
            if (start.equals(end)) {
                return false;
            }
            return start.isBefore(end) ? !t.isBefore(start) && t.isBefore(end) : !t.isBefore(start) || t.isBefore(end);
        }

        /** {@code t} itself when allowed, otherwise when the quiet hours end (local time {@code end}) in {@code zone}. */
        public Instant nextAllowed(Instant t, ZoneId zone) {
            ZonedDateTime local = t.atZone(zone);
            if (!contains(local.toLocalTime())) {
                return t;
            }
            ZonedDateTime end = local.with(this.end);
            if (!end.isAfter(local)) {
                end = end.plusDays(1);
            }
            return end.toInstant();
        }
    }

    /** The first time at or after {@code notBefore} when it is {@code at} in {@code zone}. */
    public static Instant localTime(Instant notBefore, LocalTime at, ZoneId zone) {
        ZonedDateTime local = notBefore.atZone(zone);
        ZonedDateTime candidate = local.with(at);
        if (candidate.isBefore(local)) {
            candidate = candidate.plusDays(1).with(at);
        }
        return candidate.toInstant();
    }

    /**
     * The recipient's best time in [{@code start}, {@code start + window}): the first of {@code bestHours} (hours of
     * day in {@code hoursZone}, best first) whose next occurrence is inside the window and not in quiet hours, at
     * {@code spread} of the way through that hour (so that a million people with the same best hour are not all due at
     * the same instant); {@code start} (moved out of quiet hours) when none fits.
     */
    public static Instant bestTime(Instant start, Duration window, List<Integer> bestHours, ZoneId hoursZone,
            ZoneId recipientZone, QuietHours quiet, double spread) {
        Instant end = start.plus(window);
        for (Integer hour : bestHours) {
            if (hour == null || hour < 0 || hour > 23) {
                continue;
            }
            ZonedDateTime hourStart = start.atZone(hoursZone).truncatedTo(ChronoUnit.HOURS).withHour(hour);
            while (!hourStart.plusHours(1).toInstant().isAfter(start)) {
                hourStart = hourStart.plusDays(1).withHour(hour);
            }
            Instant candidate = hourStart.toInstant().plusMillis((long) (spread * 3_600_000));
            if (candidate.isBefore(start)) {
                candidate = start;
            }
            if (candidate.isBefore(end) && !quiet.contains(candidate.atZone(recipientZone).toLocalTime())) {
                return candidate;
            }
        }
        return quiet.nextAllowed(start, recipientZone);
    }
}
