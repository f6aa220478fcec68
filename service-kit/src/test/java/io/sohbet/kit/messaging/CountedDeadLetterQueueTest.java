package io.sohbet.kit.messaging;

import io.sohbet.events.Topics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The log line of a dead-lettered record names the way back that works for its topic. */
class CountedDeadLetterQueueTest {

    @Test
    void guardedTopicsPointToTheirOwnReplay() {
        assertThat(CountedDeadLetterQueue.howToReplay(Topics.WA_INBOUND, "wa.inbound.dlq"))
                .isEqualTo("replay with POST /admin/dlq/wa.inbound.dlq/replay");
        assertThat(CountedDeadLetterQueue.howToReplay(Topics.PRIVACY_DESTRUCTION, "privacy.destruction.dlq"))
                .contains("POST /api/destruction-records/dead-letters/replay").doesNotContain("/admin/dlq");
        assertThat(CountedDeadLetterQueue.howToReplay(Topics.PRIVACY_ERASURE, "privacy.erasure.dlq"))
                .contains("POST /api/dsr/replay");
    }
}
