package io.sohbet.devstack;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class PhoneFormsTest {

    @Test
    void findsTheNumberInsideBase64WhereverItStarts() {
        String digits = "5321234567";
        for (String prefix : new String[] {"", "I", "IN", "HBgM90", "\u001c\u0018\u000c90", "xyzw"}) {
            for (String suffix : new String[] {"", "\u0015\u0002", "0f8e3c1a-7d2b"}) {
                byte[] record = (prefix + digits + suffix).getBytes(StandardCharsets.ISO_8859_1);
                String standard = "wamid." + Base64.getEncoder().encodeToString(record);
                String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(record);
                assertThat(PhoneForms.foundIn(standard, digits)).as(standard).isNotEmpty();
                assertThat(PhoneForms.foundIn(urlSafe, digits)).as(urlSafe).isNotEmpty();
            }
        }
    }

    @Test
    void findsNothingInOtherNumbersOrHashes() {
        String digits = "5321234567";
        String other = "wamid." + Base64.getEncoder().encodeToString("HBgM905329876543-uuid".getBytes(StandardCharsets.UTF_8));
        assertThat(PhoneForms.foundIn(other, digits)).isEmpty();
        assertThat(PhoneForms.foundIn("mid_RJizeRFVVSEgG7GjM6WckBp1", digits)).isEmpty();
        assertThat(PhoneForms.of(digits)).first().isEqualTo(digits);
        assertThat(PhoneForms.base64(digits)).allSatisfy(f -> assertThat(f.length()).isGreaterThanOrEqualTo(8));
    }
}
