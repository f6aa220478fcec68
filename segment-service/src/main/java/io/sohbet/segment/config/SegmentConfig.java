package io.sohbet.segment.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.math.BigDecimal;
import java.time.Duration;

/** Configuration of segment-service ({@code sohbet.segment.*}). */
@ConfigMapping(prefix = "sohbet.segment")
public interface SegmentConfig {

    /** The name this service signs its erasure acknowledgements with. */
    @WithDefault("segment-service")
    String serviceName();

    /**
     * Key of the hashes that replace WhatsApp message ids (the same {@code SOHBET_MESSAGE_ID_KEY} as webhook- and
     * campaign-service). Events carry hashed ids already; this service hashes with it what was stored or published
     * in clear before (the V5 migration, and records still on the topics when the services were upgraded).
     */
    String messageIdKey();

    /** How often every profile is recomputed and every segment re-evaluated (windows expire as time passes). */
    @WithDefault("15m")
    String reevaluateEvery();

    /**
     * How many pages of a full run (1000 profiles each, a transaction each) are written at once, on as many pooled
     * connections: while one page's memberships are written, the next is recomputed. 1 writes one after the other.
     */
    @WithDefault("2")
    @jakarta.validation.constraints.Min(1)
    int pagesInFlight();

    /** Segments with fewer members are flagged as over-segmented. */
    @WithDefault("50")
    int minimumSize();

    /**
     * The fewest birth years an {@code age} condition may cover: a rule reads age only as {@code between [low, high]}
     * with {@code high - low + 1} at least this, and names age (or {@code ageBand}) once, with the segments it
     * refers to, so that no combination of conditions narrows it to one person's birth year.
     */
    @WithDefault("5")
    int minimumAgeRange();

    /** How often the outbox relay looks for unpublished membership events. */
    @WithDefault("1s")
    String outboxInterval();

    /** Thresholds of the built-in segments (domain.md §3). */
    Thresholds thresholds();

    /** The retention job that deletes the facts profiles are computed from once they are old ({@code SegmentRetention}). */
    Retention retention();

    interface Retention {

        /**
         * When the retention job runs (Quartz-style cron, UTC). The service refuses to start when two runs can be more
         * than 6 months apart (3 with {@code verbis-exempt}): the KVKK destruction regulation's longest interval.
         */
        @WithDefault("0 50 3 * * ?")
        String cron();

        /**
         * Interactions (replies, reads, clicks) and sent messages older than this are deleted: 90 days, the longest
         * window a profile counts them in. At least 90 days and longer than the at-risk threshold (the service refuses
         * to start otherwise): the total interactions, last activity and the at-risk segment count what is kept.
         */
        @WithDefault("P90D")
        Duration history();

        /**
         * Orders older than this are deleted: 400 days, a year of order history (RFM, order totals, VIP, loyal) and a
         * month of margin. At least 30 days, the shortest window a profile counts orders in.
         */
        @WithDefault("P400D")
        Duration orders();

        /** Rows one transaction deletes from each table (a run goes on until a transaction deletes fewer). */
        @WithDefault("1000")
        int batch();

        /**
         * Whether the controller is exempt from VERBİS registration: the retention job must then run at least every 3
         * months instead of 6 (the same {@code SOHBET_VERBIS_EXEMPT} as consent-service's).
         */
        @WithDefault("false")
        boolean verbisExempt();
    }

    interface Thresholds {
        /** active: at least this many interactions in 7 days. */
        @WithDefault("3")
        int activeInteractions7d();

        /** regular: between these many interactions in 30 days (both included). */
        @WithDefault("5")
        int regularMin30d();

        @WithDefault("10")
        int regularMax30d();

        /** passive: fewer than this many interactions in 90 days. */
        @WithDefault("5")
        int passiveBelow90d();

        /** visual / text / quick-info: at least this many engagements in 90 days to have a preference. */
        @WithDefault("3")
        int contentMinEngagements();

        /** VIP: at least this many orders in 30 days ... */
        @WithDefault("3")
        int vipOrders30d();

        /** ... and an average basket over this (TRY). */
        @WithDefault("500")
        BigDecimal vipAverageBasket();

        /** new: first seen within this many days. */
        @WithDefault("30")
        int newDays();

        /** loyal: at least this many orders and active within 30 days. */
        @WithDefault("2")
        int loyalOrders();

        /** at risk: was active (at least 3 interactions ever) and nothing for this many days. */
        @WithDefault("60")
        int atRiskDays();
    }
}
