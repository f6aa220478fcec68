package io.sohbet.events;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FieldCipherTest {

    private static final byte[] KEY = new byte[32];
    static {
        for (int i = 0; i < KEY.length; i++) {
            KEY[i] = (byte) i;
        }
    }

    @Test
    void roundTripsUnicode() {
        String text = "Siparişim nerede? İade istiyorum 🙏";
        String sealed = FieldCipher.encrypt(KEY, "subject-1", text);
        assertThat(sealed).startsWith("v1.").doesNotContain("Sipari");
        assertThat(FieldCipher.decrypt(KEY, "subject-1", sealed)).isEqualTo(text);
    }

    @Test
    void randomNonceMakesEveryCiphertextDifferent() {
        assertThat(FieldCipher.encrypt(KEY, "s", "same")).isNotEqualTo(FieldCipher.encrypt(KEY, "s", "same"));
    }

    @Test
    void decryptsAFixedVector() {
        // computed independently (Python cryptography AESGCM): key 00..1f, nonce 00..0b, AAD "subject-1", "Ayşe"
        assertThat(FieldCipher.decrypt(KEY, "subject-1", "v1.AAECAwQFBgcICQoLBnsThKCy2Y8aevNgrfsyZ57OQbnL"))
                .isEqualTo("Ayşe");
    }

    @Test
    void anotherSubjectCannotRead() {
        String sealed = FieldCipher.encrypt(KEY, "subject-1", "Ayşe");
        assertThatThrownBy(() -> FieldCipher.decrypt(KEY, "subject-2", sealed))
                .isInstanceOf(FieldDecryptionException.class);
    }

    @Test
    void destroyedKeyMeansUnreadable() {
        String sealed = FieldCipher.encrypt(KEY, "subject-1", "Ayşe");
        assertThatThrownBy(() -> FieldCipher.decrypt(FieldCipher.newKey(), "subject-1", sealed))
                .isInstanceOf(FieldDecryptionException.class)
                .hasMessageContaining("wrong key");
    }

    @Test
    void tamperingIsDetected() {
        String sealed = FieldCipher.encrypt(KEY, "subject-1", "Ayşe");
        char last = sealed.charAt(sealed.length() - 1);
        String altered = sealed.substring(0, sealed.length() - 1) + (last == 'A' ? 'B' : 'A');
        assertThatThrownBy(() -> FieldCipher.decrypt(KEY, "subject-1", altered))
                .isInstanceOf(FieldDecryptionException.class);
    }

    @Test
    void malformedValuesAreRejected() {
        assertThatThrownBy(() -> FieldCipher.decrypt(KEY, "s", "plain text")).hasMessageContaining("not a v1");
        assertThatThrownBy(() -> FieldCipher.decrypt(KEY, "s", "v1.***")).hasMessageContaining("base64url");
        assertThatThrownBy(() -> FieldCipher.decrypt(KEY, "s", "v1.AAAA")).hasMessageContaining("truncated");
        assertThatThrownBy(() -> FieldCipher.encrypt(new byte[16], "s", "x")).hasMessageContaining("32 bytes");
    }
}
