package io.sohbet.events.payload;

import java.time.Instant;

/** A click on a tracked link ({@code link.click}); link-preview fetchers are not clicks. */
public record LinkClick(String campaignId, String variant, String linkId, String target, Instant clickedAt) {
}
