package io.sohbet.webhook.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CompressionConverterTest {

    private final WebhookConfig.CompressionConverter converter = new WebhookConfig.CompressionConverter();

    @Test
    void kafkasCompressionsAreTakenInAnyCase() {
        assertThat(converter.convert(" ZSTD ")).isEqualTo("zstd");
        assertThat(converter.convert("none")).isEqualTo("none");
        assertThat(converter.convert("lz4")).isEqualTo("lz4");
    }

    @Test
    void anythingElseStopsTheStartWithTheChoices() {
        assertThatThrownBy(() -> converter.convert("brotli"))
                .hasMessageContaining("sohbet.webhook.kafka.compression").hasMessageContaining("[gzip, lz4, none, snappy, zstd]");
    }
}
