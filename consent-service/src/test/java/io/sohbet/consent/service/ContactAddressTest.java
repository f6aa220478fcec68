package io.sohbet.consent.service;

import io.sohbet.consent.service.ContactResolver.Address;
import io.sohbet.consent.service.IdentifierLinks.LatestBusinessScopedUserId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a message to a person goes, the one rule campaign sending and self-service answers share. */
class ContactAddressTest {

    static final String PHONE = "+905321112233";
    static final String BSUID = "TR.1a2b3c4d5e6f";

    @Test
    void thePhoneWhileWhatsAppShowsIt() {
        assertThat(Address.of(PHONE, null)).isEqualTo(new Address(Address.PHONE, PHONE));
        assertThat(Address.of(PHONE, new LatestBusinessScopedUserId(BSUID, false))).isEqualTo(new Address(Address.PHONE, PHONE));
    }

    @Test
    void theBusinessScopedUserIdWithoutAPhoneOrOnceWhatsAppWithholdsTheNumber() {
        assertThat(Address.of(null, new LatestBusinessScopedUserId(BSUID, false))).isEqualTo(new Address(Address.BSUID, BSUID));
        assertThat(Address.of(PHONE, new LatestBusinessScopedUserId(BSUID, true))).isEqualTo(new Address(Address.BSUID, BSUID));
    }

    @Test
    void nobodyToWriteToWithNeither() {
        assertThat(Address.of(null, null)).isNull();
    }
}
