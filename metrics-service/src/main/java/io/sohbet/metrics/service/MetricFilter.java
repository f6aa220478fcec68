package io.sohbet.metrics.service;

import java.time.Instant;

/** Which messages a metric covers: optional campaign, variant, message type and segment (at send time), and a time range. */
public record MetricFilter(String campaignId, String variant, String messageType, String segmentId, Instant from, Instant to) {
}
