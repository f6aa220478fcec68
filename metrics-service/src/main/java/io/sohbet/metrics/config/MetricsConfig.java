package io.sohbet.metrics.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.Map;
import java.util.Set;
import java.time.ZoneId;

/** Configuration of metrics-service ({@code sohbet.metrics.*}). */
@ConfigMapping(prefix = "sohbet.metrics")
public interface MetricsConfig {

    /** The name this service signs its erasure acknowledgements with. */
    @WithDefault("metrics-service")
    String serviceName();

    /**
     * Key of the hashes that replace WhatsApp message ids (the same {@code SOHBET_MESSAGE_ID_KEY} as webhook- and
     * campaign-service). Events carry hashed ids already; this service hashes with it what was stored or published
     * in clear before (the V6 migration, and records still on the topics when the services were upgraded).
     */
    String messageIdKey();

    /** The business time zone of read-time histograms and send windows. */
    @WithDefault("Europe/Istanbul")
    ZoneId timeZone();

    /** An order within this time after a read or click converts for the last campaign touched. */
    @WithDefault("P7D")
    Duration attributionWindow();

    /** A reply within this time after a campaign message (and before the next one) counts for that message. */
    @WithDefault("P3D")
    Duration replyWindow();

    /** A/B tests: fewest recipients (denominator of the tested rate) each variant needs before a winner is named. */
    @WithDefault("100")
    int minimumSamplePerVariant();

    /** A/B tests: the p-value under which a difference is significant. */
    @WithDefault("0.05")
    double significanceLevel();

    /** How often the Prometheus gauges of recent campaigns are refreshed. */
    @WithDefault("60s")
    String gaugesEvery();

    /** A conversation with no message for this long is resolved at its last message. */
    @WithDefault("PT24H")
    Duration conversationInactivity();

    /** Conversation times ({@code GET /api/metrics/conversations}). */
    ConversationsConfig conversations();

    interface ConversationsConfig {

        /** The longest range one request may cover (from → to); a longer one is refused with 400. */
        @WithDefault("P92D")
        Duration maxRange();

        /** The range measured when {@code from} is not given: this long before {@code to} (which defaults to now). */
        @WithDefault("P30D")
        Duration defaultRange();

        /** Subjects whose timelines one query reads and measures (1–10000): what is held in memory at a time. */
        @WithDefault("500")
        int pageSize();
    }

    /** Working hours for the business-hours variants of response and resolution times. */
    BusinessHoursConfig businessHours();

    /** Keywords of open-ended replies. */
    FeedbackConfig feedback();

    /** Customer-satisfaction surveys. */
    CsatConfig csat();

    /** The retention job that folds people no longer active into the anonymous aggregates ({@code MetricsRetention}). */
    RetentionConfig retention();

    interface RetentionConfig {

        /**
         * When the retention job runs (Quartz-style cron, UTC). The service refuses to start when two runs can be more
         * than 6 months apart (3 with {@code verbis-exempt}): the KVKK destruction regulation's longest interval.
         */
        @WithDefault("0 40 3 * * ?")
        String cron();

        /**
         * A person whose newest row in metrics (message, status, click, reply, order, opt-out, segment change,
         * resolution, feedback) is older than this is folded into the anonymous aggregates, exactly as on erasure: every
         * per-campaign figure stays (a unique count across several campaigns counts the person once per campaign, as
         * after an erasure), nothing links to the person any more. 400 days: a year of history and a month of margin, so that
         * a campaign can be compared with the same season a year before.
         */
        @WithDefault("P400D")
        Duration subjectRows();

        /** How many people one transaction folds (a run goes on, transaction by transaction, until none is left). */
        @WithDefault("100")
        int batch();

        /**
         * Whether the controller is exempt from VERBİS registration: the retention job must then run at least every 3
         * months instead of 6 (the same {@code SOHBET_VERBIS_EXEMPT} as consent-service's).
         */
        @WithDefault("false")
        boolean verbisExempt();
    }

    /** Cost and return of campaigns. */
    CostConfig cost();

    interface CostConfig {

        /**
         * ISO 4217 currency of the rate card (the one Meta invoices the WhatsApp Business Account in); every line of an
         * imported card must use it. Return on spend is reported only when it is TRY, the currency of shop revenue.
         */
        @WithDefault("TRY")
        String currency();

        /** The largest rate card accepted in one import, in lines. */
        @WithDefault("10000")
        int maxLines();

        /**
         * Countries of Meta's grouped markets in volume-tier reports ({@code volume_tier_info.region}), comma-separated
         * ISO alpha-2 codes by region name, e.g. {@code sohbet.metrics.cost.tier-regions."REST_OF_AFRICA"=DZ,AO,BJ}. A
         * market that is one country needs no entry ({@code io.sohbet.metrics.service.MarketRegions}).
         */
        Map<String, String> tierRegions();
    }

    interface CsatConfig {

        /**
         * The id prefix of the survey's answer buttons or list rows: a tapped id that is this prefix and a digit 1–5
         * ({@code csat_1} … {@code csat_5}) counts for CSAT whatever message it quotes (case-insensitive). Any other
         * score (a digit typed or tapped, stars, 👍 / 👎) counts only as the answer to a campaign message marked as a
         * CSAT survey.
         */
        @WithDefault("csat_")
        String answerIdPrefix();
    }

    interface FeedbackConfig {

        /**
         * Secret of the keyed hashes (HMAC-SHA256) a reply keeps instead of its keyword stems; at least 16 bytes.
         * Never change it: stems hashed before would no longer count together with the same stems after.
         */
        String keywordKey();

        /** A stem is shown, and kept in clear (without any subject), only once this many different subjects used it. */
        @WithDefault("3")
        int keywordMinSubjects();
    }

    interface BusinessHoursConfig {

        @WithDefault("09:00")
        LocalTime opens();

        @WithDefault("18:00")
        LocalTime closes();

        @WithDefault("MONDAY,TUESDAY,WEDNESDAY,THURSDAY,FRIDAY")
        Set<DayOfWeek> days();
    }
}
