package io.sohbet.webhook.messaging;

import org.apache.kafka.common.record.CompressionType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every compression the ingestion producer may be given works in this process, native ones included (snappy, the
 * default, and zstd unpack a library into {@code java.io.tmpdir} on first use: on a fresh machine this is where a
 * missing or unwritable directory shows, at start, not at the first webhook).
 */
class CompressionCheckTest {

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void everyCompressionTypeCompressesHere(CompressionType type) {
        assertThat(EventPublisher.checkedCompression(type)).isEqualTo(type);
    }
}
