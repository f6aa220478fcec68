package io.sohbet.events;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubjectIdsTest {

    private static final byte[] PEPPER = "test-pepper-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private final SubjectIds ids = new SubjectIds(PEPPER);

    @ParameterizedTest
    @ValueSource(strings = {"0532 123 45 67", "+90 532 123 4567", "905321234567", "+905321234567", "5321234567",
            "(0532) 123-45-67", "0090 532 123 45 67", " 0532-123-4567 "})
    void everyTurkishSpellingGivesOneSubject(String spelling) {
        assertThat(ids.normalise(spelling)).isEqualTo("+905321234567");
        assertThat(ids.fromPhone(spelling)).isEqualTo(ids.fromPhone("+905321234567"));
    }

    @Test
    void fixedVector() {
        // computed independently (Python hmac): HMAC-SHA256(pepper, "+905321234567"), base64url, no padding
        assertThat(ids.fromPhone("+905321234567")).isEqualTo("uHu0wzqCDyb4d1aWNU0vIIpPra0yPdgIaj1YUoTTPFQ");
        assertThat(ids.fromPhone("+905321234567")).hasSize(43).doesNotContain("+", "/", "=");
    }

    @Test
    void foreignWaIdWithoutPlus() {
        assertThat(ids.normalise("16505551234")).isEqualTo("+16505551234");
        assertThat(ids.normalise("+49 30 901820")).isEqualTo("+4930901820");
    }

    @Test
    void aWhatsAppIdIsAlwaysInternational() {
        // as a shop's phone, 5351234567 is Turkish (0535 123 45 67); as a wa_id it is the Cuban +53 5 123 4567
        assertThat(ids.normalise("5351234567")).isEqualTo("+905351234567");
        assertThat(ids.normaliseWhatsAppId("5351234567")).isEqualTo("+5351234567");
        assertThat(ids.fromWhatsAppId("5351234567")).isNotEqualTo(ids.fromPhone("0535 123 45 67"));
        for (String waId : new String[] {"905321234567", "16505551234", "4915112345678", "5511987654321", "+905321234567"}) {
            assertThat(ids.fromWhatsAppId(waId)).isEqualTo(ids.fromPhone(waId));
        }
        assertThatThrownBy(() -> ids.fromWhatsAppId("12")).isInstanceOf(InvalidPhoneNumberException.class);
        assertThatThrownBy(() -> ids.fromWhatsAppId(" ")).isInstanceOf(InvalidPhoneNumberException.class);
    }

    @Test
    void anotherPepperGivesAnotherId() {
        SubjectIds other = new SubjectIds("another-pepper-0123456789".getBytes(StandardCharsets.UTF_8));
        assertThat(other.fromPhone("05321234567")).isNotEqualTo(ids.fromPhone("05321234567"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "abc", "12", "0532 123", "+90 123 456 78 90 12", "+999 1234567"})
    void invalidNumbersAreRejectedWithoutEchoingThem(String bad) {
        assertThatThrownBy(() -> ids.fromPhone(bad))
                .isInstanceOf(InvalidPhoneNumberException.class)
                .hasMessageStartingWith("invalid phone number")
                .satisfies(e -> {
                    if (!bad.isBlank()) {
                        assertThat(e.getMessage()).doesNotContain(bad.strip());
                    }
                });
    }

    @Test
    void nullIsRejected() {
        assertThatThrownBy(() -> ids.fromPhone(null)).isInstanceOf(InvalidPhoneNumberException.class);
    }

    @Test
    void businessScopedUserIdsLiveInTheirOwnDomain() {
        assertThat(ids.fromBusinessScopedUserId("US.13491208655302741918"))
                .isEqualTo(ids.fromBusinessScopedUserId(" US.13491208655302741918 "))
                .isNotEqualTo(ids.fromPhone("+905321234567"));
        assertThatThrownBy(() -> ids.fromBusinessScopedUserId(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shortPepperIsRefused() {
        assertThatThrownBy(() -> new SubjectIds(new byte[8])).hasMessageContaining("at least 16 bytes");
    }
}
