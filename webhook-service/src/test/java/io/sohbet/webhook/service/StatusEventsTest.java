package io.sohbet.webhook.service;

import io.sohbet.events.CloudEventSerializer;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.WaError;
import io.sohbet.events.payload.WaStatus;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-written status events are byte for byte what the events module's serializer writes. */
class StatusEventsTest {

    private static final String[] TEXTS = {null, "", "sent", "ş\"ç\\/\u0001\t", "😀 emoji", "mid_abcDEF-_123", "TR", "x".repeat(300)};

    @Test
    void theBytesAreTheSerializersForAnyStatus() {
        Random random = new Random(7);
        for (int i = 0; i < 3_000; i++) {
            List<WaError> errors = null;
            if (random.nextInt(3) > 0) {
                errors = new ArrayList<>();
                for (int e = random.nextInt(3); e > 0; e--) {
                    errors.add(new WaError(random.nextInt(), text(random), text(random), text(random)));
                }
            }
            Instant time = random.nextInt(5) == 0 ? null : Instant.ofEpochSecond(random.nextInt(2_000_000_000),
                    random.nextBoolean() ? 0 : random.nextInt(1_000_000_000));
            WaStatus status = new WaStatus(text(random), text(random), time, text(random), text(random), text(random),
                    text(random), text(random), text(random), text(random),
                    random.nextInt(3) == 0 ? null : random.nextBoolean(), text(random), errors, text(random));
            String id = random.nextInt(9) == 0 ? null : "wa.status:" + text(random);
            String subject = random.nextInt(4) == 0 ? null : text(random);
            // as the reader builds them, mostly: the event's time is the status' timestamp (formatted once for both)
            Instant eventTime = random.nextInt(9) == 0 ? null : random.nextBoolean() ? time
                    : Instant.ofEpochSecond(random.nextInt(2_000_000_000));
            assertThat(new String(StatusEvents.encode(id, EventDraft.SOURCE, eventTime, subject, status), StandardCharsets.UTF_8))
                    .isEqualTo(new String(CloudEventSerializer.encode(Topics.WA_STATUS, id, EventDraft.SOURCE, eventTime, subject,
                            status), StandardCharsets.UTF_8));
        }
    }

    private static String text(Random random) {
        return TEXTS[random.nextInt(TEXTS.length)];
    }
}
