package io.sohbet.webhook.service;

import io.sohbet.events.SubjectIds;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class SubjectResolverTest {

    private static final SubjectIds IDS = new SubjectIds("unit-test-pepper-0123456789".getBytes(StandardCharsets.UTF_8));

    @Test
    void cachedIdsAreTheIdsOfTheNumbers() {
        SubjectResolver cached = new SubjectResolver(IDS, 2, Duration.ofMinutes(1));
        for (int round = 0; round < 3; round++) {
            for (String waId : new String[] {"905321234567", "905321234568", "4915112345678", "905321234567"}) {
                assertThat(cached.resolve(waId, null))
                        .isEqualTo(new SubjectResolver.Resolved(IDS.fromWhatsAppId(waId), SubjectResolver.Kind.PHONE));
            }
        }
    }

    @Test
    void forgettingASubjectDropsEveryCachedLinkToItAndNoOther() {
        SubjectResolver resolver = new SubjectResolver(IDS, 100, Duration.ofMinutes(5));
        String erased = IDS.fromWhatsAppId("905321234567");
        String other = IDS.fromWhatsAppId("905321234568");
        String bsuid = IDS.fromBusinessScopedUserId("TR.1");
        String username = IDS.fromUsername("ece.k");
        String othersBsuid = IDS.fromBusinessScopedUserId("TR.2");
        resolver.learn(java.util.Set.of(bsuid, username, othersBsuid), java.util.Map.of(bsuid, erased, username, erased, othersBsuid, other));
        SubjectResolver.Identifiers byBsuid = new SubjectResolver.Identifiers(null, "TR.1", null, null);
        assertThat(resolver.resolve(byBsuid, java.util.Map.of())).isEqualTo(new SubjectResolver.Resolved(erased, SubjectResolver.Kind.LINKED));

        resolver.forget(erased);
        assertThat(resolver.unknown(java.util.List.of(bsuid, username, othersBsuid))).containsExactlyInAnyOrder(bsuid, username);
        assertThat(resolver.resolve(byBsuid, java.util.Map.of())).as("derived again, as for a stranger")
                .isEqualTo(new SubjectResolver.Resolved(bsuid, SubjectResolver.Kind.BSUID));
        assertThat(resolver.resolve(new SubjectResolver.Identifiers(null, "TR.2", null, null), java.util.Map.of()).subjectId()).isEqualTo(other);
    }

    @Test
    void aNumberAloneResolvesThroughItsLinkTheDeliveryFirst() {
        SubjectResolver resolver = new SubjectResolver(IDS, 100, Duration.ofMinutes(5));
        String phone = IDS.fromWhatsAppId("905321234567");
        String linked = IDS.fromBusinessScopedUserId("TR.7");
        String inDelivery = IDS.fromBusinessScopedUserId("TR.8");
        SubjectResolver.Identifiers byNumber = SubjectResolver.Identifiers.of("905321234567", null);
        assertThat(resolver.resolve(byNumber, java.util.Map.of())).isEqualTo(new SubjectResolver.Resolved(phone, SubjectResolver.Kind.PHONE));
        resolver.learn(java.util.Set.of(phone), java.util.Map.of(phone, linked));
        assertThat(resolver.resolve(byNumber, java.util.Map.of())).isEqualTo(new SubjectResolver.Resolved(linked, SubjectResolver.Kind.LINKED));
        assertThat(resolver.resolve(byNumber, java.util.Map.of(phone, inDelivery)))
                .isEqualTo(new SubjectResolver.Resolved(inDelivery, SubjectResolver.Kind.LINKED));
        // and the same through the general way, when the number comes with another identifier
        assertThat(resolver.resolve(new SubjectResolver.Identifiers("905321234567", null, "ece.k", null), java.util.Map.of()))
                .isEqualTo(new SubjectResolver.Resolved(linked, SubjectResolver.Kind.LINKED));
    }

    @Test
    void numbersThatAreNotValidAreNeverCachedAsPhones() {
        SubjectResolver cached = new SubjectResolver(IDS, 100, Duration.ofMinutes(1));
        for (int round = 0; round < 2; round++) {
            assertThat(cached.resolve("12", "TR.1234")).isEqualTo(new SubjectResolver.Resolved(
                    IDS.fromBusinessScopedUserId("TR.1234"), SubjectResolver.Kind.BSUID));
            assertThat(cached.resolve("12", null)).isEqualTo(new SubjectResolver.Resolved(
                    IDS.fromBusinessScopedUserId("unparsed:12"), SubjectResolver.Kind.RAW));
        }
        assertThat(cached.resolve((String) null, null)).isNull();
    }

    @Test
    void aWaIdIsNeverReadAsANationalNumber() {
        assertThat(new SubjectResolver(IDS).resolve("5351234567", null).subjectId())
                .isEqualTo(IDS.fromPhone("+53 5 123 4567")).isNotEqualTo(IDS.fromPhone("0535 123 45 67"));
    }

    @Test
    void aCacheOfSizeZeroReadsEveryTime() {
        SubjectResolver uncached = new SubjectResolver(IDS);
        assertThat(uncached.resolve("905321234567", null).subjectId()).isEqualTo(IDS.fromPhone("+90 532 123 45 67"));
    }
}
