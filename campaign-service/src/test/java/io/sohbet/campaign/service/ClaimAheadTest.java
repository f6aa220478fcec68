package io.sohbet.campaign.service;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How far ahead and how much the sender claims: a batch covers more send time than preparing it took (so one worker
 * keeps up with the rate), starts far enough ahead to be ready, and lead plus span never grow past the bound a kill's
 * unconfirmed recipients are checked against.
 */
class ClaimAheadTest {

    static final Duration LEAD = Duration.ofMillis(200);
    static final Duration SPAN = Duration.ofMillis(250);

    @Test
    void aQuickSenderKeepsTheConfiguredLeadAndSpan() {
        for (long millis : new long[] {0, 10, 100, 133}) {
            ClaimAhead a = ClaimAhead.of(Duration.ofMillis(millis), LEAD, SPAN);
            assertThat(a.lead()).as("%d ms", millis).isEqualTo(LEAD);
            assertThat(a.span()).as("%d ms", millis).isEqualTo(SPAN);
        }
    }

    @Test
    void aSlowSenderClaimsMoreThanItTakesToPrepareAndFurtherAhead() {
        // preparing ms -> lead ms, span ms
        long[][] table = {
                {200, 300, 250},
                {300, 450, 375},
                {400, 600, 500},
                {600, 900, 750},
                {800, 1200, 1000},
        };
        for (long[] row : table) {
            Duration preparing = Duration.ofMillis(row[0]);
            ClaimAhead a = ClaimAhead.of(preparing, LEAD, SPAN);
            assertThat(a.lead()).as("lead at %d ms", row[0]).isEqualTo(Duration.ofMillis(row[1]));
            assertThat(a.span()).as("span at %d ms", row[0]).isEqualTo(Duration.ofMillis(row[2]));
            assertThat(a.span()).as("keeps up").isGreaterThan(preparing);
            assertThat(a.lead()).as("ready before its first slot").isGreaterThan(preparing);
        }
    }

    @Test
    void leadAndSpanStayWithinTheKillBoundHoweverSlowTheSender() {
        Duration bound = ClaimAhead.MAX_LEAD.plus(SPAN);
        for (long millis = 0; millis <= 10_000; millis += 50) {
            ClaimAhead a = ClaimAhead.of(Duration.ofMillis(millis), LEAD, SPAN);
            assertThat(a.lead().plus(a.span())).as("%d ms", millis).isLessThanOrEqualTo(bound);
            assertThat(a.span()).isBetween(SPAN, ClaimAhead.MAX_SPAN);
            assertThat(a.lead()).isGreaterThanOrEqualTo(LEAD);
        }
        ClaimAhead stalled = ClaimAhead.of(Duration.ofSeconds(5), LEAD, SPAN);
        assertThat(stalled.span()).isEqualTo(ClaimAhead.MAX_SPAN);
        assertThat(stalled.lead()).isEqualTo(ClaimAhead.MAX_LEAD.plus(SPAN).minus(ClaimAhead.MAX_SPAN));
    }

    @Test
    void aClaimStartsAtTheNextSlotOfTheGridWhateverTheLeadAndSkipsOnlyWhatIsTooCloseToNow() {
        SendSlots slots = SendSlots.of(1000, Duration.ofMillis(20));
        Instant now = Instant.parse("2026-12-01T14:00:00.100Z");
        // the next slot is 0.3 s ahead: a sender asking for a 1.5 s lead still starts there (nothing skipped); the loop
        // claims earlier instead (ClaimAhead.lead plus the horizon)
        Instant next = Instant.parse("2026-12-01T14:00:00.400Z");
        assertThat(ClaimAhead.firstSlot(slots, next, now, LEAD)).isEqualTo(slots.atOrAfter(next));
        // far ahead: the next slot
        Instant far = Instant.parse("2026-12-01T14:00:03.000Z");
        assertThat(ClaimAhead.firstSlot(slots, far, now, LEAD)).isEqualTo(far);
        // behind (idle, or a sender that fell far behind): the first slot the configured lead after now
        Instant past = Instant.parse("2026-12-01T13:59:59.000Z");
        assertThat(ClaimAhead.firstSlot(slots, past, now, LEAD)).isEqualTo(slots.atOrAfter(now.plus(LEAD)));
        Instant close = Instant.parse("2026-12-01T14:00:00.200Z");
        assertThat(ClaimAhead.firstSlot(slots, close, now, LEAD)).isEqualTo(slots.atOrAfter(now.plus(LEAD)));
    }
}
