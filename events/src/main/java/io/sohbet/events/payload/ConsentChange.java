package io.sohbet.events.payload;

import java.time.Instant;

/** A change of a subject's consent for one purpose and channel ({@code consent.change}). */
public record ConsentChange(String purpose, String channel, String state, String source, Instant changedAt) {

    public static final String GRANTED = "granted";
    public static final String REVOKED = "revoked";
}
