package io.sohbet.events;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LinkKeysTest {

    @Test
    void linkSecretIsKeyZeroAndLinkSecretsAddKeysById() {
        LinkKeys keys = LinkKeys.of("k2", Optional.of("legacy-secret-0123456789"),
                List.of("k1:first-secret-0123456789", "k2:second-secret=0123456789+/"));
        assertThat(keys.ids()).containsExactly("0", "k1", "k2");
        assertThat(keys.currentId()).isEqualTo("k2");
        assertThat(LinkKeys.of("0", Optional.of("legacy-secret-0123456789"), List.of()).ids()).containsExactly("0");
        assertThat(LinkKeys.of("k1", Optional.of(""), List.of("k1:first-secret-0123456789")).ids()).containsExactly("k1");
        assertThat(LinkKeys.of("k1", Optional.empty(), List.of("k1:a:secret:with:colons")).ids()).containsExactly("k1");
    }

    @Test
    void eachKeySignsDifferently() {
        LinkKeys keys = new LinkKeys("a", Map.of("a", "secret-a-0123456789".getBytes(), "b", "secret-b-0123456789".getBytes()));
        byte[] data = "data".getBytes();
        assertThat(keys.mac("a", data).orElseThrow()).isNotEqualTo(keys.mac("b", data).orElseThrow())
                .isEqualTo(keys.mac("a", data).orElseThrow());
        assertThat(keys.mac("c", data)).isEmpty();
    }

    @Test
    void badConfigurationFailsAtStartWithoutShowingASecret() {
        assertThatThrownBy(() -> LinkKeys.of("0", Optional.empty(), List.of())).hasMessageContaining("no tracked-link key");
        assertThatThrownBy(() -> LinkKeys.of("k3", Optional.empty(), List.of("k1:first-secret-0123456789")))
                .hasMessageContaining("'k3' has no secret");
        assertThatThrownBy(() -> LinkKeys.of("0", Optional.of("legacy-secret-0123456789"), List.of("0:other-secret-0123456789")))
                .hasMessageContaining("configured twice").hasMessageContaining("LINK_SECRET").hasMessageNotContaining("other-secret");
        assertThatThrownBy(() -> LinkKeys.of("k1", Optional.empty(), List.of("k1:x", "k1:y")))
                .hasMessageContaining("configured twice");
        assertThatThrownBy(() -> LinkKeys.of("k1", Optional.empty(), List.of("k1:short"))).hasMessageContaining("16 bytes")
                .hasMessageNotContaining("short");
        assertThatThrownBy(() -> LinkKeys.of("k1", Optional.empty(), List.of("first-secret-0123456789")))
                .hasMessageContaining("id:secret");
        assertThatThrownBy(() -> LinkKeys.of("k.1", Optional.empty(), List.of("k.1:first-secret-0123456789")))
                .hasMessageContaining("key id");
        assertThatThrownBy(() -> LinkKeys.of("x", Optional.empty(), List.of(":first-secret-0123456789")))
                .hasMessageContaining("id:secret");
    }
}
