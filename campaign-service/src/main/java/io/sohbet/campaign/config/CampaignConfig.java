package io.sohbet.campaign.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Configuration of campaign-service ({@code sohbet.campaign.*}). */
@ConfigMapping(prefix = "sohbet.campaign")
public interface CampaignConfig {

    /** The name this service signs its erasure acknowledgements with. */
    @WithDefault("campaign-service")
    String serviceName();
}
