package io.sohbet.metrics.service;

/**
 * The counts behind the engagement metrics of one group of messages. Messages: sent (accepted by the Cloud API, has a
 * wamid), delivered (opening implies it), read (WhatsApp's read receipts alone), opened (read, or its recipient
 * clicked, replied, tapped a button or converted: people with read receipts off still act), failed (never delivered).
 * Unique recipients: messaged, readers (who opened), clicked, converted, opted out after it, replied, engaged
 * (replied, tapped or clicked). Clickers, converters and engaged are readers, so their rates never exceed 100 %.
 */
public record Counts(String dimension, long sent, long delivered, long read, long opened, long failed, long recipients, long readers,
        long clickers, long converters, long optedOut, long repliers, long engaged) {

    /** delivered / sent × 100. */
    public Double deliveryRate() {
        return Rates.percent(delivered, sent);
    }

    /** opened / delivered × 100 (opened: read receipt, click, reply, tap or conversion). */
    public Double openRate() {
        return Rates.percent(opened, delivered);
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
