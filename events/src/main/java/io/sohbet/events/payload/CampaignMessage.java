package io.sohbet.events.payload;

import java.time.Instant;

/** A message accepted by the Cloud API for a campaign ({@code campaign.message}): ties a wamid to its campaign. */
public record CampaignMessage(String wamid, String campaignId, String variant, String messageType, Instant sentAt) {
}
