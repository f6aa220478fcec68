package io.sohbet.kit;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceTokensTest {

    static Config config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().addDefaultInterceptors().withSources(new PropertiesConfigSource(properties, "test", 100)).build();
    }

    @Test
    void aServiceWithoutItsClientSecretDoesNotStart() {
        for (Map<String, String> unset : java.util.List.of(Map.<String, String>of(),
                Map.of(ServiceTokens.SECRET, "${OIDC_CLIENT_SECRET_NOT_SET_ANYWHERE}"), Map.of(ServiceTokens.SECRET, " "))) {
            assertThatThrownBy(() -> ServiceTokens.requireSecret(config(unset))).as(unset.toString())
                    .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("OIDC_CLIENT_SECRET is not set");
        }
        assertThatCode(() -> ServiceTokens.requireSecret(config(Map.of(ServiceTokens.SECRET, "s3cret")))).doesNotThrowAnyException();
    }
}
