package io.sohbet.campaign.service;

import java.time.Duration;
import java.time.Instant;

/**
 * How far ahead of its send slots the sender claims, and how much it claims at once, from how long preparing a batch
 * (claim, consent, messages) took lately. One worker prepares one batch at a time, so it keeps up with the rate only if
 * a batch covers more send time than preparing it takes: the batch covers 1.25 times the preparing time (at least
 * {@code sending.batch-span}, at most {@link #MAX_SPAN}), and its first slot is 1.5 times the preparing time ahead (at
 * least {@code sending.lead}), so that its messages are ready before their slots. Lead and span together stay within
 * {@link #MAX_LEAD} plus {@code batch-span}: what a killed replica has claimed and not sent (given up as unconfirmed) is
 * at most that plus the horizon, at the rate.
 */
public record ClaimAhead(Duration lead, Duration span) {

    /** The most the first slot of a claim is put ahead of now. */
    public static final Duration MAX_LEAD = Duration.ofSeconds(2);
    /** The most send time one claim covers. */
    public static final Duration MAX_SPAN = Duration.ofSeconds(1);

    /** Lead and span for a worker whose batches took up to {@code preparing} lately. */
    public static ClaimAhead of(Duration preparing, Duration leastLead, Duration batchSpan) {
        long p = preparing.toNanos();
        long span = clamp(p * 5 / 4, batchSpan.toNanos(), Math.max(batchSpan.toNanos(), MAX_SPAN.toNanos()));
        long lead = clamp(p * 3 / 2, leastLead.toNanos(), Math.max(leastLead.toNanos(), MAX_LEAD.toNanos() + batchSpan.toNanos() - span));
        return new ClaimAhead(Duration.ofNanos(lead), Duration.ofNanos(span));
    }

    /**
     * The first slot of a claim: the shared grid's {@code next} slot, or the first at {@code least} after {@code now}
     * when the next slot is sooner (the senders fell behind). Never later than that: a sender that wants a longer lead
     * claims earlier instead, as slots skipped over would be lost to every replica.
     */
    public static Instant firstSlot(SendSlots slots, Instant next, Instant now, Duration least) {
        Instant earliest = now.plus(least);
        return slots.atOrAfter(next.isAfter(earliest) ? next : earliest);
    }

    private static long clamp(long value, long least, long most) {
        return Math.max(least, Math.min(most, value));
    }
}
