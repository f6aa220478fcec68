package io.sohbet.campaign.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/** Configuration of campaign-service ({@code sohbet.campaign.*}). */
@ConfigMapping(prefix = "sohbet.campaign")
public interface CampaignConfig {

    /** The name this service signs its erasure acknowledgements with. */
    @WithDefault("campaign-service")
    String serviceName();

    /**
     * Key (at least 16 bytes) of the hashes that replace WhatsApp message ids ({@code wamid.…} holds the recipient's
     * number): the id in the Send API's answer is hashed before it is stored or published. The same
     * {@code SOHBET_MESSAGE_ID_KEY} as webhook-service's, so {@code wa.status} finds the message. Never change it.
     */
    String messageIdKey();

    WhatsApp whatsapp();

    Sending sending();

    Planning planning();

    AbTests abTests();

    /** Default quiet hours, in the recipient's local time; {@code time-zone} is used when a number's zone is unknown. */
    QuietHours quietHours();

    /** Default frequency cap, counted over every campaign; a campaign may set its own. */
    FrequencyCap frequencyCap();

    Links links();

    /** The send queue's retention rule ({@code service/SendQueueRetention}). */
    Retention retention();

    interface WhatsApp {

        /** The Cloud API (the simulator's URL in tests and the local run). */
        @WithDefault("https://graph.facebook.com")
        URI baseUrl();

        @WithDefault("v23.0")
        String apiVersion();

        /** The business phone number messages are sent from. */
        String phoneNumberId();

        /**
         * The WhatsApp Business Account of the phone number ({@code WHATSAPP_WABA_ID}): its message templates
         * ({@code GET /{waba-id}/message_templates}) are what scheduling checks a campaign's templates against, and its
         * template webhooks ({@code wa.account}) pause the campaigns that use a template Meta paused, disabled or
         * re-categorised.
         */
        String wabaId();

        /** How long the WhatsApp Business Account's template list is cached (a template webhook empties the cache). */
        @WithDefault("PT5M")
        Duration templateCacheTtl();

        /** System-user access token (secret). */
        String accessToken();

        /** Throughput limit of the phone number, shared by every replica (Meta: 80 by default, up to 1,000). */
        @WithDefault("80")
        int messagesPerSecond();

        /** Messaging tier: unique recipients per rolling 24 hours (0: unlimited). */
        @WithDefault("100000")
        int messagingLimit();

        /**
         * Connections to the Cloud API per replica, and so the send requests it has in flight at once. Sending at the rate
         * needs the rate times Meta's answer time of them (1,000/s answered in 250 ms: 250); a message waits for a free one
         * only until its second's deadline, then goes back to the queue (late). Opened as needed, kept alive.
         */
        @WithDefault("256")
        int maxConnections();

        /** How long a send request may take before its outcome counts as unknown. */
        @WithDefault("PT10S")
        Duration timeout();

        /**
         * Quick retries of a request that was certainly not accepted (could not connect, 5xx, or one of Meta's temporary
         * codes) within the same attempt: each waits {@code retry-delay} × 2^(retry - 1) (at most 5 s) and then takes a
         * new send slot of the shared rate, like any other message. After them the recipient goes back to the queue,
         * which counts as an attempt ({@code sending.max-attempts}). 0: no quick retries.
         */
        @WithDefault("3")
        int retries();

        @WithDefault("PT0.2S")
        Duration retryDelay();
    }

    interface Sending {

        /** Whether this replica sends (planning and housekeeping run regardless). */
        @WithDefault("true")
        boolean enabled();

        /** How far ahead of the send slots a worker claims. */
        @WithDefault("PT0.5S")
        Duration horizon();

        /**
         * The first slot of a claim is at least this far ahead, for resolving contacts and building the messages. A
         * worker whose batches take longer to prepare claims earlier (1.5 times what preparing a batch took lately, at
         * most 2 s; the horizon comes on top), never by skipping slots of the shared grid.
         */
        @WithDefault("PT0.2S")
        Duration lead();

        /**
         * How many seconds' worth of sends one claim takes (at the current rate); 1.25 times what preparing a batch
         * took lately (at most 1 s) when that is more, so that one worker keeps up with the rate.
         */
        @WithDefault("PT0.25S")
        Duration batchSpan();

        /** A recipient claimed longer ago than this without an outcome (its worker died) is never sent again. */
        @WithDefault("PT2M")
        Duration unconfirmedAfter();

        /** How long after 131049 (Meta held the message back) the recipient is tried again: at least 24 h. */
        @WithDefault("PT24H")
        Duration ecosystemDeferral();

        /** 131056 (too many messages to the same recipient): retried after this × 4^(attempt - 1). */
        @WithDefault("PT6S")
        Duration pairBackoff();

        /**
         * After this many attempts a recipient fails for good. Throughput errors (130429 and the other rate-limit codes)
         * do not count: they are about the phone number, not the recipient.
         */
        @WithDefault("8")
        int maxAttempts();

        /** How much the rate is cut after a throughput error, and how soon it recovers by a quarter. */
        @WithDefault("0.8")
        double throttleFactor();

        @WithDefault("PT2S")
        Duration throttleRecovery();

        /**
         * The last part of every calendar second that holds no send slot and in which nothing is sent (the slots of a
         * second are spread over the rest of it): room for the time between sending here and counting at Meta, so that
         * no message of one second lands in the next one. A wider margin costs no rate. 20 ms was too little: a
         * replica whose CPU is busy or whose collector pauses between the deadline check and the request puts a message
         * into the next second (130429 with two replicas on 2 cores).
         */
        @WithDefault("PT0.1S")
        Duration jitterMargin();

        /**
         * How much faster than the rate a replica that fell behind its slots (a busy CPU, a GC pause) sends until it is
         * back on them; always within each slot's own calendar second, so never more than the rate per second.
         */
        @WithDefault("3")
        double catchUp();
    }

    interface Planning {

        /** Members fetched per page from segment-service. */
        @WithDefault("10000")
        int pageSize();

        /** Parallel read-hour lookups at metrics-service per page. */
        @WithDefault("4")
        int concurrency();

        /**
         * A planning claim not renewed for this long (its replica died or stalled) is taken over; a planner renews its
         * claim after every page, and one whose claim was taken over writes nothing more.
         */
        @WithDefault("PT5M")
        Duration timeout();
    }

    interface AbTests {

        /**
         * How long the roll-out to the rest of the audience waits for metrics-service when the test phase ends: the
         * rest stays waiting and the outcome is asked again every housekeeping tick; after this the campaign's fallback
         * is used without results (recorded with the reason).
         */
        @WithDefault("PT1H")
        Duration decisionWait();

        /** Rows of the rest of the audience given their variant per statement when the decision is rolled out. */
        @WithDefault("5000")
        int rollOutBatch();
    }

    interface QuietHours {

        @WithDefault("21:00")
        LocalTime start();

        @WithDefault("09:00")
        LocalTime end();

        @WithDefault("Europe/Istanbul")
        ZoneId timeZone();
    }

    interface FrequencyCap {

        @WithDefault("3")
        int messages();

        @WithDefault("P7D")
        Duration period();
    }

    /**
     * Tracked links ({@code LinkTokens}). The keys are shared with webhook-service, which must know a key before this
     * service signs with it: to rotate, add the new key to {@code secrets} in both services first, then make it the
     * {@code key-id}; remove the old key once the links it signed have expired (after {@code lifetime}).
     */
    interface Links {

        /** Key {@code 0} of tracked-link tokens ({@code LINK_SECRET}, the one key before key ids); empty = none. */
        Optional<String> secret();

        /** More keys as {@code id:secret} ({@code LINK_SECRETS}; ids of 1-16 of A-Z a-z 0-9 _ -), secrets of 16 bytes or more. */
        Optional<List<String>> secrets();

        /** The id of the key that signs new links ({@code LINK_KEY_ID}); one of the configured keys. */
        @WithDefault("0")
        String keyId();

        /** How long a new link counts clicks ({@code LINK_LIFETIME}); an expired link still redirects, without a click. */
        @WithDefault("P90D")
        Duration lifetime();

        /** Where webhook-service redeems tracked links; {{link}} in a free-form text becomes {@code <base-url>/l/<token>}. */
        Optional<URI> baseUrl();
    }

    /**
     * The per-recipient rows of a campaign that ended (completed or cancelled) longer than {@code send-queue} ago are
     * deleted, {@code batch} per transaction, on {@code cron}; their counts stay on the campaign ({@code send_tally}).
     */
    interface Retention {

        /** When the job runs (Quartz cron, UTC); at most 6 months apart (3 with {@code verbis-exempt}), else no start. */
        @WithDefault("0 0 4 * * ?")
        String cron();

        /** Whether the controller is exempt from VERBİS registration (periodic destruction every 3 months, not 6). */
        @WithDefault("false")
        boolean verbisExempt();

        /**
         * How long after a campaign ended its per-recipient rows are kept: at least 90 days, the longest frequency cap
         * a campaign may set (and at least the default cap's period), so that every cap still counts every message.
         */
        @WithDefault("P90D")
        Duration sendQueue();

        /** Rows deleted per transaction. */
        @WithDefault("1000")
        int batch();
    }
}
