package io.sohbet.events.payload;

import java.time.Instant;

/**
 * A message accepted by the Cloud API for a campaign ({@code campaign.message}): ties a wamid to its campaign.
 *
 * @param csatSurvey the message asks the customer-satisfaction question: a reply that is just a score (a digit, stars,
 *                   👍 / 👎) counts for CSAT only when it answers such a message (absent in older events: false)
 */
public record CampaignMessage(String wamid, String campaignId, String variant, String messageType, Instant sentAt,
        boolean csatSurvey) {

    /** A message that is not a CSAT survey. */
    public CampaignMessage(String wamid, String campaignId, String variant, String messageType, Instant sentAt) {
        this(wamid, campaignId, variant, messageType, sentAt, false);
    }
}
