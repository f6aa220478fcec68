package io.sohbet.campaign.service;

import io.sohbet.campaign.config.CampaignConfig;
import io.sohbet.campaign.domain.CampaignDefinition;

import java.time.Duration;

/** A campaign's effective guards: its own quiet hours and frequency cap, or the configured defaults. */
final class Scheduling {

    private Scheduling() {
    }

    static SendTimes.QuietHours quietHours(CampaignDefinition d, CampaignConfig config) {
        CampaignDefinition.QuietHours own = d.quietHours();
        if (own == null) {
            return new SendTimes.QuietHours(config.quietHours().start(), config.quietHours().end());
        }
        if (Boolean.FALSE.equals(own.enabled())) {
            return SendTimes.QuietHours.NONE;
        }
        return new SendTimes.QuietHours(own.start(), own.end());
    }

    record Cap(int messages, Duration period) {
    }

    static Cap frequencyCap(CampaignDefinition d, CampaignConfig config) {
        return d.frequencyCap() == null ? new Cap(config.frequencyCap().messages(), config.frequencyCap().period())
                : new Cap(d.frequencyCap().messages(), d.frequencyCap().period());
    }
}
