package io.sohbet.webhook.messaging;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.utils.BufferSupplier;
import org.apache.kafka.common.utils.ByteBufferOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The ingestion producer's compression is tried at start. Every type works in this process, native ones included
 * (snappy, the default, and zstd unpack a library into {@code java.io.tmpdir} on first use: on a fresh machine this is
 * where a missing or unwritable directory shows); one that fails as a library that cannot load does stops the start
 * with a message that names the setting and the way out.
 */
class CompressionCheckTest {

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void everyCompressionTypeCompressesHere(CompressionType type) {
        assertThat(EventPublisher.checkedCompression(type)).isEqualTo(type);
    }

    @Test
    void aCodecWhoseLibraryCannotLoadStopsTheStart() {
        // snappy-java throws its SnappyError (an Error, not an exception) when the native library cannot be loaded
        Error missing = new Error("[FAILED_TO_LOAD_NATIVE_LIBRARY] no native library is found for os.name=Linux");
        assertThatThrownBy(() -> EventPublisher.checked(CompressionType.SNAPPY, failingWith(missing)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sohbet.webhook.kafka.compression=snappy")
                .hasMessageContaining("FAILED_TO_LOAD_NATIVE_LIBRARY")
                .hasMessageContaining("lz4")
                .hasCause(missing);
        // the JVM's own failures are not the codec's: they go through as they are
        OutOfMemoryError fatal = new OutOfMemoryError();
        assertThatThrownBy(() -> EventPublisher.checked(CompressionType.SNAPPY, failingWith(fatal))).isSameAs(fatal);
    }

    private static Compression failingWith(Throwable failure) {
        return new Compression() {
            @Override
            public CompressionType type() {
                return CompressionType.SNAPPY;
            }

            @Override
            public OutputStream wrapForOutput(ByteBufferOutputStream out, byte magic) {
                if (failure instanceof Error error) {
                    throw error;
                }
                throw (RuntimeException) failure;
            }

            @Override
            public InputStream wrapForInput(ByteBuffer buffer, byte magic, BufferSupplier supplier) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
