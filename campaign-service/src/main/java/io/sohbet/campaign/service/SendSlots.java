package io.sohbet.campaign.service;

import java.time.Duration;
import java.time.Instant;

/**
 * The send slots of a phone number: {@code perSecond} slots in each calendar second, evenly spread over the second's
 * first {@code 1 s − tail}, none in its last {@code tail}. Every replica computes the same grid from the shared rate,
 * and each slot is handed out once (the {@code send_rate} row's {@code next_slot}), so however the slots are shared
 * out, no calendar second holds more than {@code perSecond} of them. A message may go out late for its slot, but only
 * within the slot's own second (before {@link #deadline}): that is what lets a sender make up a stall without ever
 * putting more than the rate into one of Meta's seconds, which are counted per calendar second.
 *
 * <p>Slots are whole microseconds, as PostgreSQL stores {@code timestamptz}: a slot read back is the slot written.
 */
public record SendSlots(int perSecond, long spacingMicros, long tailMicros) {

    private static final long SECOND = 1_000_000L;

    /**
     * The grid at {@code rate} messages per second (the configured rate times any slowdown; at least 1 whole message a
     * second), slots spread over the second's first {@code 1 s − tail}.
     */
    public static SendSlots of(double rate, Duration tail) {
        int perSecond = (int) Math.max(1, Math.floor(rate + 1e-9));
        long tailMicros = Math.max(0, Math.min(SECOND / 2, tail.toNanos() / 1000));
        return new SendSlots(perSecond, Math.max(1, (SECOND - tailMicros) / perSecond), tailMicros);
    }

    /** The first slot at or after {@code t}. */
    public Instant atOrAfter(Instant t) {
        long second = t.getEpochSecond();
        long micros = (t.getNano() + 999) / 1000;
        long k = (micros + spacingMicros - 1) / spacingMicros;
        if (k >= perSecond) {
            return slot(second + 1, 0);
        }
        return slot(second, k);
    }

    /** The slot {@code n} slots after {@code slot} (before it when {@code n} is negative); {@code slot} is on the grid. */
    public Instant after(Instant slot, long n) {
        Instant on = atOrAfter(slot);
        long index = on.getEpochSecond() * perSecond + (on.getNano() / 1000) / spacingMicros + n;
        return slot(Math.floorDiv(index, perSecond), Math.floorMod(index, perSecond));
    }

    /**
     * The last moment a message of {@code slot} may still go out: the end of the slot's calendar second less the tail,
     * which is left for the time between sending here and counting at Meta.
     */
    public Instant deadline(Instant slot) {
        return Instant.ofEpochSecond(slot.getEpochSecond() + 1).minusNanos(tailMicros * 1000);
    }

    /** The spacing of the slots. */
    public Duration spacing() {
        return Duration.ofNanos(spacingMicros * 1000);
    }

    private Instant slot(long second, long k) {
        return Instant.ofEpochSecond(second, k * spacingMicros * 1000);
    }
}
