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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hand-written status events are byte for byte what the events module's serializer writes. */
class StatusEventsTest {

    private static final String[] TEXTS = {null, "", "sent", "ş\"ç\\/\u0001\t", "😀 emoji", "mid_abcDEF-_123", "TR", "x".repeat(300),
        "a\"b", "back\\slash", "del\u007f", "tab\tx", "nbsp\u00a0", "~ !#$%&'()*+,-./:;<=>?@[]^_`{|}", "x".repeat(3_000), "\ud83d"};
    private static final Instant[] EDGES = {Instant.EPOCH, Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59Z"),
        Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("-0001-12-31T23:59:59Z"), Instant.parse("0999-02-28T01:02:03Z"),
        Instant.parse("1969-12-31T23:59:59Z"), Instant.parse("2024-02-29T12:00:00.100Z"), Instant.parse("2024-02-29T12:00:00.000100Z"),
        Instant.parse("2024-02-29T12:00:00.000000001Z"), Instant.parse("2026-12-03T00:00:00Z")};

    @Test
    void theBytesAreTheSerializersForAnyStatus() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            Instant time = random.nextInt(5) == 0 ? null : random.nextInt(4) == 0 ? EDGES[random.nextInt(EDGES.length)]
                    : Instant.ofEpochSecond(random.nextInt(2_000_000_000), random.nextBoolean() ? 0 : random.nextInt(1_000_000_000));
            WaStatus status = status(TEXTS, time, random);
            String id = random.nextInt(9) == 0 ? null : "wa.status:" + pick(TEXTS, random);
            String subject = random.nextInt(4) == 0 ? null : pick(TEXTS, random);
            // as the reader builds them, mostly: the event's time is the status' timestamp (formatted once for both)
            Instant eventTime = random.nextInt(9) == 0 ? null : random.nextBoolean() ? time
                    : random.nextInt(4) == 0 ? EDGES[random.nextInt(EDGES.length)] : Instant.ofEpochSecond(random.nextInt(2_000_000_000));
            String expected;
            try {
                expected = new String(CloudEventSerializer.encode(Topics.WA_STATUS, id, EventDraft.SOURCE, eventTime, subject, status),
                        StandardCharsets.UTF_8);
            } catch (RuntimeException e) {
                // a lone surrogate: what Jackson refuses, the hand-written events refuse too
                assertThatThrownBy(() -> StatusEvents.encode(id, EventDraft.SOURCE, eventTime, subject, status))
                        .isInstanceOf(e.getClass());
                continue;
            }
            assertThat(new String(StatusEvents.encode(id, EventDraft.SOURCE, eventTime, subject, status), StandardCharsets.UTF_8))
                    .isEqualTo(expected);
        }
    }

    /** Plain texts only: every event takes the one-pass way, and it writes what the serializer writes, any instant included. */
    @Test
    void theOnePassBytesAreTheSerializersForPlainStatuses() {
        String[] plain = {null, "", "sent", "mid_abcDEF-_123", "TR", "x".repeat(300), "~ !#$%&'()*+,-./:;<=>?@[]^_`{|}", "x".repeat(3_000)};
        Random random = new Random(11);
        for (int i = 0; i < 5_000; i++) {
            Instant time = random.nextInt(5) == 0 ? null : random.nextBoolean() ? EDGES[random.nextInt(EDGES.length)]
                    : Instant.ofEpochSecond(random.nextLong(-70_000_000_000L, 260_000_000_000L));
            WaStatus status = status(plain, time, random);
            String id = random.nextInt(9) == 0 ? null : "wa.status:" + pick(plain, random);
            String subject = pick(plain, random);
            Instant eventTime = random.nextInt(9) == 0 ? null : random.nextBoolean() ? time : EDGES[random.nextInt(EDGES.length)];
            byte[] onePass = StatusEvents.Plain.SCRATCH.get().event(id, EventDraft.SOURCE, eventTime, subject, status);
            assertThat(onePass).isNotNull();
            assertThat(new String(onePass, StandardCharsets.UTF_8)).isEqualTo(new String(CloudEventSerializer.encode(Topics.WA_STATUS,
                    id, EventDraft.SOURCE, eventTime, subject, status), StandardCharsets.UTF_8));
        }
    }

    /** A status of texts drawn from {@code texts}, with none, one or two errors a third of the time each. */
    private static WaStatus status(String[] texts, Instant time, Random random) {
        List<WaError> errors = null;
        if (random.nextInt(3) > 0) {
            errors = new ArrayList<>();
            for (int e = random.nextInt(3); e > 0; e--) {
                errors.add(new WaError(random.nextInt(), pick(texts, random), pick(texts, random), pick(texts, random)));
            }
        }
        return new WaStatus(pick(texts, random), pick(texts, random), time, pick(texts, random), pick(texts, random),
                pick(texts, random), pick(texts, random), pick(texts, random), pick(texts, random), pick(texts, random),
                random.nextInt(3) == 0 ? null : random.nextBoolean(), pick(texts, random), errors, pick(texts, random));
    }

    private static String pick(String[] texts, Random random) {
        return texts[random.nextInt(texts.length)];
    }

    /** The one-pass writer takes the statuses webhooks carry (else the comparison above would only check Jackson with itself). */
    @Test
    void campaignStatusesAreWrittenInOnePassAndTextsToEscapeByJackson() {
        WaStatus read = new WaStatus("wm1.Rk9vYmFyMTIzNDU2Nzg5MA", "read", Instant.parse("2026-12-03T10:15:30Z"), "106540352242922",
                "individual", "c0ffee01", "marketing", "marketing", "regular", "PMP", true, "campaign:42:B",
                List.of(new WaError(131026, "Message undeliverable", "Receiver incapable", "https://developers.facebook.com/docs")), "TR");
        String subject = "yNq3W5V2Yk6d0aZ8fHcYxw";
        byte[] plain = StatusEvents.Plain.SCRATCH.get().event("wa.status:x", EventDraft.SOURCE, read.timestamp(), subject, read);
        assertThat(plain).isNotNull().isEqualTo(CloudEventSerializer.encode(Topics.WA_STATUS, "wa.status:x", EventDraft.SOURCE,
                read.timestamp(), subject, read));
        // another source than this service's own (whose bytes are kept once) is written as a text like the others
        String other = new String("/sohbet/webhook-service".toCharArray());
        assertThat(StatusEvents.Plain.SCRATCH.get().event("wa.status:x", other, read.timestamp(), subject, read)).isEqualTo(plain);
        assertThat(StatusEvents.Plain.SCRATCH.get().event("wa.status:x", "/x/\"q\"", read.timestamp(), subject, read)).isNull();
        WaStatus quoted = new WaStatus("wm1.x", "failed", null, null, null, null, null, null, null, null, null, "say \"hi\"", null, null);
        assertThat(StatusEvents.Plain.SCRATCH.get().event("wa.status:y", EventDraft.SOURCE, null, subject, quoted)).isNull();
        assertThat(StatusEvents.encode("wa.status:y", EventDraft.SOURCE, null, subject, quoted)).isEqualTo(
                CloudEventSerializer.encode(Topics.WA_STATUS, "wa.status:y", EventDraft.SOURCE, null, subject, quoted));
    }
}
