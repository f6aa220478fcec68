package io.sohbet.metrics.service;

/**
 * The counts behind the engagement metrics of one group of messages. Messages: sent (accepted by the Cloud API, has a
 * wamid), delivered (a read implies it), read, failed (never delivered). Unique recipients: messaged, who read,
 * clicked, converted, opted out after it, replied, engaged (replied, tapped or clicked).
 */
public record Counts(String dimension, long sent, long delivered, long read, long failed, long recipients, long readers,
        long clickers, long converters, long optedOut, long repliers, long engaged) {

    /** delivered / sent × 100. */
    public Double deliveryRate() {
        return Rates.percent(delivered, sent);
    }

    /** read / delivered × 100. */
    public Double openRate() {
        return Rates.percent(read, delivered);
    }

    /** unique clickers / unique readers × 100. */
    public Double clickThroughRate() {
        return Rates.percent(clickers, readers);
    }

    /** unique converters / unique readers × 100. */
    public Double conversionRate() {
        return Rates.percent(converters, readers);
    }

    /** recipients who opted out after the message / recipients messaged × 100. */
    public Double optOutRate() {
        return Rates.percent(optedOut, recipients);
    }

    /** recipients who replied, tapped or clicked / unique readers × 100. */
    public Double engagementRate() {
        return Rates.percent(engaged, readers);
    }
}
