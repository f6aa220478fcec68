package io.sohbet.metrics.service;

import java.math.BigDecimal;

/**
 * The counts behind the engagement metrics of one group of messages. Messages: sent (accepted by the Cloud API, has a
 * wamid), delivered (opening implies it), read (WhatsApp's read receipts alone), opened (read, or its recipient
 * clicked, replied, tapped a button or converted: people with read receipts off still act), failed (never delivered).
 * Unique recipients: messaged, readers (who opened), clicked, converted, opted out after it, replied, engaged
 * (replied, tapped or clicked). Clickers, converters and engaged are readers, so their rates never exceed 100 %.
 * {@code spend}: what the group cost and returned.
 */
public record Counts(String dimension, long sent, long delivered, long read, long opened, long failed, long recipients, long readers,
        long clickers, long converters, long optedOut, long repliers, long engaged, Spend spend) {

    /**
     * What a group of messages cost and returned. {@code charged}: delivered messages Meta charges for (pricing type
     * {@code regular}, per-message pricing); {@code free}: delivered in a free customer-service or entry-point window;
     * {@code unpriced}: charged but the rate card has no price for their country and category on the day of delivery
     * (counted in {@code charged}, not in {@code cost}); {@code tiered}: charged messages priced at the rate of the
     * volume tier in effect when they were delivered, not the base rate ({@link VolumeTiers}); {@code cost}: the sum of
     * the charged messages' prices, in
     * {@code currency}; {@code revenue}: the TRY totals of the shop orders credited to the messages (conversions).
     */
    public record Spend(String currency, long charged, long free, long unpriced, long tiered, BigDecimal cost, BigDecimal revenue) {

        public static final String REVENUE_CURRENCY = "TRY";

        public static Spend none(String currency) {
            return new Spend(currency, 0, 0, 0, 0, BigDecimal.ZERO, BigDecimal.ZERO);
        }
    }

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

    /** cost / delivered messages. */
    public BigDecimal costPerDelivered() {
        return Rates.per(spend.cost(), delivered);
    }

    /** cost / opened messages (read receipt, click, reply, tap or conversion). */
    public BigDecimal costPerRead() {
        return Rates.per(spend.cost(), opened);
    }

    /** cost / unique clickers. */
    public BigDecimal costPerClick() {
        return Rates.per(spend.cost(), clickers);
    }

    /** cost / unique converters. */
    public BigDecimal costPerConversion() {
        return Rates.per(spend.cost(), converters);
    }

    /** Return on spend: attributed revenue / cost; only when the rate card is in TRY, as revenue is. */
    public BigDecimal returnOnSpend() {
        return Spend.REVENUE_CURRENCY.equals(spend.currency()) ? Rates.ratio(spend.revenue(), spend.cost()) : null;
    }
}
