package io.sohbet.metrics.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Configuration of metrics-service ({@code sohbet.metrics.*}). */
@ConfigMapping(prefix = "sohbet.metrics")
public interface MetricsConfig {

    /** The name this service signs its erasure acknowledgements with. */
    @WithDefault("metrics-service")
    String serviceName();
}
