package io.sohbet.events;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShopIdsTest {

    private static final ShopIds IDS = ShopIds.withKey("test-message-id-key-0123456789");

    @Test
    void aShopIdBecomesAKeyedHashThatSaysNothingOfTheOrder() {
        String hashed = IDS.of("ORD-2026-000123");
        assertThat(hashed).startsWith("sid_").hasSize(28).doesNotContain("ORD").doesNotContain("000123");
        assertThat(ShopIds.withKey("test-message-id-key-0123456789").of("ORD-2026-000123")).as("same key").isEqualTo(hashed);
        assertThat(ShopIds.withKey("another-message-id-key-987654").of("ORD-2026-000123")).as("another key").isNotEqualTo(hashed);
        assertThat(IDS.of("ORD-2026-000124")).as("another order").isNotEqualTo(hashed);
    }

    @Test
    void hashingIsIdempotentAndLeavesNothingToHash() {
        String hashed = IDS.of("cart-77");
        assertThat(IDS.of(hashed)).isEqualTo(hashed);
        assertThat(IDS.of(null)).isNull();
        assertThat(IDS.of(" ")).isEqualTo(" ");
    }

    @Test
    void anIdFromTheShopIsAlwaysHashedEvenWhenItLooksHashed() {
        String clear = "sid_ORD-2026-000123"; // the shop's own id, by chance in our prefix
        assertThat(IDS.of(clear)).as("a consumer's pass-through").isEqualTo(clear);
        assertThat(IDS.hash(clear)).startsWith("sid_").hasSize(28).doesNotContain("ORD").isNotEqualTo(clear)
                .isNotEqualTo(IDS.hash("ORD-2026-000123"));
        assertThat(IDS.hash("ORD-2026-000123")).isEqualTo(IDS.of("ORD-2026-000123"));
        assertThat(IDS.hash(IDS.hash(clear))).as("not idempotent: every arriving id is hashed").isNotEqualTo(IDS.hash(clear));
        assertThat(IDS.hash(null)).isNull();
        assertThat(IDS.hash(" ")).isEqualTo(" ");
    }

    @Test
    void aShopIdAndTheSameStringAsAMessageIdHashApart() {
        MessageIds messages = MessageIds.withKey("test-message-id-key-0123456789");
        assertThat(IDS.of("wamid.HBgM").substring(4)).isNotEqualTo(messages.of("wamid.HBgM").substring(4));
    }

    @Test
    void onlyCommerceEventIdsAreRewritten() {
        assertThat(IDS.inEventId("commerce:evt-1")).isEqualTo("commerce:" + IDS.of("evt-1"));
        assertThat(IDS.inEventId(IDS.inEventId("commerce:evt-1"))).isEqualTo(IDS.inEventId("commerce:evt-1"));
        assertThat(IDS.inEventId("wa.inbound:mid_x")).isEqualTo("wa.inbound:mid_x");
        assertThat(IDS.inEventId(null)).isNull();
    }

    @Test
    void aShortKeyIsRefused() {
        assertThatThrownBy(() -> ShopIds.withKey("short")).isInstanceOf(IllegalArgumentException.class);
    }
}
