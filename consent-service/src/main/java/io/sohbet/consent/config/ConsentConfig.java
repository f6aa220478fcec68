package io.sohbet.consent.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;

/** Configuration of consent-service ({@code sohbet.consent.*}). */
@ConfigMapping(prefix = "sohbet.consent")
public interface ConsentConfig {

    /** The name of this service in audit entries and events. */
    @WithDefault("consent-service")
    String serviceName();

    /** Services that must acknowledge an erasure before it is complete. */
    @WithDefault("webhook-service,metrics-service,segment-service,campaign-service")
    List<String> erasureParticipants();
}
