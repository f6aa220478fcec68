package io.sohbet.events;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageIdsTest {

    private static final MessageIds IDS = MessageIds.withKey("test-message-id-key-0123456789");

    /** Message ids as they come: Meta's (a record around the number), the simulator's, older and placeholder ones. */
    static Stream<Arguments> messageIds() {
        return Stream.of(
                Arguments.of("wamid.HBgMOTA1MzIxMjM0NTY3FQIAERgSQjg3RjM5OUE2RDAwMDAwMDAxAA==", "905321234567"),
                Arguments.of("wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3OEM1QjM2QjNDM0E5MEQ5QkEA", "16503879439"),
                Arguments.of("wamid." + b64("HBgM905321234567" + "0f8e3c1a-7d2b-4c7e-9a51-3f0e2d9b8c41"), "905321234567"),
                Arguments.of("wamid." + b64("IN905559876543" + "5b1c2d3e-0000-4000-8000-000000000000"), "905559876543"),
                Arguments.of("gBGGFlA5FpafAgkOuJbRq54qwbM", null),
                Arguments.of("wamid.ID", null));
    }

    @ParameterizedTest
    @MethodSource("messageIds")
    void aMessageIdBecomesAnOpaqueKeyedHash(String messageId, String phone) {
        String hashed = IDS.of(messageId);
        assertThat(hashed).startsWith("mid_").hasSize(28).matches("mid_[A-Za-z0-9_-]{24}");
        assertThat(IDS.of(messageId)).as("the same id, the same hash").isEqualTo(hashed);
        assertThat(MessageIds.withKey("test-message-id-key-0123456789").of(messageId)).as("another instance, same key").isEqualTo(hashed);
        assertThat(MessageIds.withKey("another-message-id-key-987654").of(messageId)).as("another key").isNotEqualTo(hashed);
        assertThat(IDS.of(messageId + "x")).as("another id").isNotEqualTo(hashed);
        String clear = messageId.substring(messageId.indexOf('.') + 1);
        assertThat(hashed).doesNotContain("wamid").doesNotContain(clear.substring(0, Math.min(4, clear.length())));
        if (phone != null) {
            assertThat(hashed).doesNotContain(phone.substring(phone.length() - 7));
            for (String form : base64Forms(phone)) {
                assertThat(hashed).doesNotContain(form);
            }
            assertThat(containsBase64Of(messageId, phone)).as("the clear id does hold the number (the test would notice)").isTrue();
        }
        assertThat(IDS.of(hashed)).as("hashing is applied once").isEqualTo(hashed);
    }

    @Test
    void theFormatIsFixed() {
        // computed independently (Python hmac): HMAC-SHA256(key, id), first 18 bytes, base64url without padding
        assertThat(IDS.of("wamid.HBgMOTA1MzIxMjM0NTY3FQIAERgSQjg3RjM5OUE2RDAwMDAwMDAxAA==")).isEqualTo("mid_RJizeRFVVSEgG7GjM6WckBp1");
        assertThat(IDS.of("wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3OEM1QjM2QjNDM0E5MEQ5QkEA")).isEqualTo("mid_4dZX9q0SyqvHCMcJl8iN-Qlz");
    }

    @Test
    void nothingToHashStaysAsItIs() {
        assertThat(IDS.of(null)).isNull();
        assertThat(IDS.of("")).isEmpty();
        assertThat(MessageIds.isHashed("mid_RJizeRFVVSEgG7GjM6WckBp1")).isTrue();
        assertThat(MessageIds.isHashed("wamid.X")).isFalse();
        assertThat(MessageIds.isHashed(null)).isFalse();
    }

    static Stream<Arguments> eventIds() {
        String w = "wamid.HBgMOTA1MzIxMjM0NTY3FQIAERgSQjg3RjM5OUE2RDAwMDAwMDAxAA==";
        String h = "mid_RJizeRFVVSEgG7GjM6WckBp1";
        return Stream.of(
                Arguments.of("wa.inbound:" + w, "wa.inbound:" + h),
                Arguments.of("wa.status:" + w + ":read:1795400000", "wa.status:" + h + ":read:1795400000"),
                Arguments.of("campaign.message:" + w, "campaign.message:" + h),
                Arguments.of("wa.contact:subjectAbc-_1:" + w, "wa.contact:subjectAbc-_1:" + h),
                Arguments.of("wa.status:" + h + ":read:1795400000", "wa.status:" + h + ":read:1795400000"),
                Arguments.of("wa.inbound:" + h, "wa.inbound:" + h),
                Arguments.of("link.click:5b1c2d3e-0000-4000-8000-000000000000", "link.click:5b1c2d3e-0000-4000-8000-000000000000"),
                Arguments.of("wa.preference:s:marketing_messages:stop:1795400000", "wa.preference:s:marketing_messages:stop:1795400000"),
                Arguments.of("erasure:42", "erasure:42"),
                Arguments.of("wa.status:broken", "wa.status:broken"));
    }

    @ParameterizedTest
    @MethodSource("eventIds")
    void eventIdsGetTheirMessageIdHashed(String eventId, String expected) {
        assertThat(IDS.inEventId(eventId)).isEqualTo(expected);
    }

    @Test
    void aShortKeyIsRefused() {
        assertThatThrownBy(() -> MessageIds.withKey("short")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("16 bytes");
        assertThatThrownBy(() -> new MessageIds(null)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The base64 characters that only the number decides, for each of the three alignments, in both alphabets. */
    static List<String> base64Forms(String digits) {
        List<String> forms = new ArrayList<>();
        byte[] number = digits.getBytes(StandardCharsets.US_ASCII);
        for (int offset = 0; offset < 3; offset++) {
            byte[] padded = new byte[offset + number.length];
            System.arraycopy(number, 0, padded, offset, number.length);
            String encoded = Base64.getEncoder().encodeToString(padded);
            int first = (offset * 8 + 5) / 6;
            int last = (offset + number.length) * 8 / 6;
            forms.add(encoded.substring(first, last));
            forms.add(encoded.substring(first, last).replace('+', '-').replace('/', '_'));
        }
        return forms;
    }

    private static boolean containsBase64Of(String messageId, String digits) {
        return base64Forms(digits).stream().anyMatch(messageId::contains);
    }
}
