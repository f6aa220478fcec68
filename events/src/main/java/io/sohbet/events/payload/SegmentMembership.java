package io.sohbet.events.payload;

import java.time.Instant;

/** A subject entering or leaving a segment ({@code segment.membership}). */
public record SegmentMembership(String segmentId, String change, Instant at) {

    public static final String ENTERED = "entered";
    public static final String LEFT = "left";
}
