package io.sohbet.segment.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Configuration of segment-service ({@code sohbet.segment.*}). */
@ConfigMapping(prefix = "sohbet.segment")
public interface SegmentConfig {

    /** The name this service signs its erasure acknowledgements with. */
    @WithDefault("segment-service")
    String serviceName();
}
