package io.sohbet.webhook.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Configuration of webhook-service ({@code sohbet.webhook.*}). */
@ConfigMapping(prefix = "sohbet.webhook")
public interface WebhookConfig {

    /** Secret shared by the services that see phone numbers; subject id = HMAC-SHA256(pepper, E.164 phone). */
    String pepper();

    /**
     * Key (at least 16 bytes) of the hashes that replace WhatsApp message ids ({@code wamid.…} holds the customer's
     * number): {@code mid_ + base64url(HMAC-SHA256(key, id)[0..18])}. Not the pepper; shared with campaign-service
     * (and the services that rehash ids stored before), so a status or a reply finds its message. Never change it.
     */
    String messageIdKey();

    /** Region used to read phone numbers written without a country code (ISO 3166 code). */
    @WithDefault("TR")
    String defaultRegion();

    /**
     * Largest accepted webhook body ({@code SOHBET_WEBHOOK_MAX_BODY_SIZE}); larger ones get 413, chunked ones as soon as
     * they pass it, without reading further. Meta sends up to 3 MB (1000 updates). {@code quarkus.http.limits.max-body-size}
     * follows it (the start fails if they differ); the chart gives the ingress the same value.
     */
    MemorySize maxBodySize();

    /** How long a webhook waits for Kafka to acknowledge its events before it answers 503 (Meta retries). */
    @WithDefault("5s")
    Duration publishTimeout();

    WhatsApp whatsapp();

    SubjectCache subjectCache();

    Kafka kafka();

    interface Kafka {
        /** Brokers for the ingestion producer; defaults to {@code kafka.bootstrap.servers}. */
        Optional<String> bootstrapServers();

        /**
         * How long the ingestion producer waits to fill a batch ({@code linger.ms}): longer means fewer, larger
         * batches, less work per event for the producer and the broker, and that much more latency per webhook.
         * 1 ms by default (docs/benchmarks.md, issue 23): with snappy a batch costs the service little, and the
         * benchmark's 64 connections waiting for their acknowledgements carried 20,762 deliveries/s with 1 ms against
         * 17,909 with 2 ms (0 ms: 17,670, the broker's CPU per delivery doubled); at saturation 2 ms carried ~7 % more.
         */
        @WithDefault("1ms")
        Duration linger();

        /**
         * The ingestion producer's compression ({@code compression.type}: none, gzip, snappy, lz4, zstd; any other value
         * stops the start, as does one whose library cannot load). snappy by default: its buffers are reused where
         * lz4's two 64 KB buffers are new for every batch, 56 µs of service CPU per delivery against lz4's 65 at a 1 ms
         * linger; none doubles the broker's CPU (docs/benchmarks.md).
         */
        @WithDefault("snappy")
        org.apache.kafka.common.record.CompressionType compression();
    }


    interface SubjectCache {
        /**
         * How many wa_ids' subject ids are kept in memory (about 200 bytes each), so that the statuses and messages
         * of one person do not each pay for reading the number again. 0 turns the cache off.
         */
        @WithDefault("100000")
        long size();

        /** How long an unused entry is kept. */
        @WithDefault("10m")
        Duration ttl();

        /**
         * How long consent-service's answer that an identifier (keyed hash) is linked to a subject is kept (as many
         * entries as {@code size}): a link that moves (a number or BSUID changed) reaches this replica within it, and a
         * cached link of a person erased since may resolve their identifiers for up to this long (in memory, as
         * pseudonymous ids; a returning person's new events then land on the same subject).
         */
        @WithDefault("5m")
        Duration linkTtl();

        /**
         * How long the answer "not linked" is kept: a link recorded by another replica is seen here after at most this
         * long (links this replica publishes itself are known at once).
         */
        @WithDefault("30s")
        Duration unlinkedTtl();
    }

    Commerce commerce();

    Links links();

    /** The shop-webhook receipts' retention rule ({@code service/ReceiptRetention}). */
    Retention retention();

    interface WhatsApp {
        /** The Meta App Secret that signs webhook bodies (X-Hub-Signature-256). */
        String appSecret();

        /** The previous App Secret, accepted too while a rotation is under way. Empty when none. */
        Optional<String> previousAppSecret();

        /** The verify token configured in the App Dashboard for the GET handshake. */
        String verifyToken();

        /**
         * Meta's retry horizon: it retries an unacknowledged delivery for up to 7 days, so a message, status or
         * preference whose own timestamp is older than this on arrival cannot be a delivery or a retry of Meta's; it is
         * a replay (of a captured body, signed as it was) and is dropped, counted in {@code sohbet.webhook.replays.dropped}.
         * The rest of its delivery is taken in and answered 200 (a refusal would have Meta retry the batch for days).
         * The hour beyond Meta's 7 days covers clocks and the first attempt's delay.
         */
        @WithDefault("P7DT1H")
        Duration replayHorizon();
    }

    interface Commerce {
        /** The secret that signs shop webhooks (X-Sohbet-Signature over X-Sohbet-Timestamp and the body). */
        String secret();

        /**
         * The previous shop secret ({@code COMMERCE_PREVIOUS_WEBHOOK_SECRET}), accepted too while a rotation is under
         * way: set the new one as {@code secret} and the old one here, switch the shop over, then remove this. Empty when none.
         */
        Optional<String> previousSecret();

        /**
         * How far a shop delivery's signed {@code X-Sohbet-Timestamp} may be from this service's clock, either way; a
         * delivery outside it is refused with 401, so a captured one cannot be replayed later.
         */
        @WithDefault("5m")
        Duration timestampTolerance();

        /**
         * How far ahead of this service's clock a shop event's {@code occurredAt} may be (the shop's clock running a
         * little fast); an event dated later is refused with 400 ({@code /occurredAt}). A contact detail dated in the
         * future would outrank every later one, a person's own rectification included.
         */
        @WithDefault("5m")
        Duration futureTolerance();
    }

    /**
     * Tracked links ({@code LinkTokens}): every configured key verifies, so links signed with a previous key keep
     * working until that key is removed. The keys are shared with campaign-service, which signs with {@code key-id}.
     */
    interface Links {
        /** Key {@code 0} of tracked-link tokens ({@code LINK_SECRET}, the one key before key ids); empty = none. */
        Optional<String> secret();

        /** More keys as {@code id:secret} ({@code LINK_SECRETS}): the current one and those of links not yet expired. */
        Optional<List<String>> secrets();

        /** The key campaign-service signs new links with ({@code LINK_KEY_ID}); the start fails if it is not configured here. */
        @WithDefault("0")
        String keyId();

        /**
         * When links of format 1 (sent before links had an expiry; signed with key 0) stop counting clicks
         * ({@code LINK_V1_VALID_UNTIL}, e.g. 2026-03-01T00:00:00Z). Empty = they count none. They redirect either way
         * while key 0 is configured.
         */
        Optional<Instant> v1ValidUntil();

        /**
         * How long campaign-service's links count clicks ({@code LINK_LIFETIME}, its {@code links.lifetime}): a link's
         * expiry minus this is when it was issued, and a person erased since then records no click with it, even if
         * they came back. Set it to campaign-service's value; if it differs, a longer one errs on the side of the erasure
         * (a returned person's clicks on links issued within the difference after the erasure are not recorded).
         */
        @WithDefault("P90D")
        Duration lifetime();

        /**
         * A click counts once per link and person within this window: repeats (a reload, a replay of the URL) are
         * redirected without another click. Windows are aligned on the clock (10:00–10:10, …) and the click's event id
         * is derived from the link, the person and the window, so that the replicas' clicks of one window are one event
         * to every (idempotent) consumer.
         */
        @WithDefault("10m")
        Duration clickWindow();

        /**
         * How many clicks one source (client address) may record per {@code source-period}; beyond that its clicks are
         * redirected without counting. Kept in memory per replica, hashed, for at most {@code sources} addresses.
         */
        @WithDefault("30")
        int clicksPerSource();

        /** The period of {@code clicks-per-source}. */
        @WithDefault("1m")
        Duration sourcePeriod();

        /** How many sources (and recent clicks) each replica remembers; the least recently seen are forgotten first. */
        @WithDefault("100000")
        long sources();

        /**
         * Addresses (IPs or CIDR blocks) of the proxies in front of this service (the ingress controller): only a
         * request from one of them has its source taken from {@code X-Forwarded-For} (the right-most address that is not
         * a trusted proxy). Empty: the peer address is the source.
         */
        Optional<List<String>> trustedProxies();

        /** User-Agent fragments of link-preview fetchers and bots: redirected, never counted as clicks. */
        @WithDefault("WhatsApp,facebookexternalhit,Facebot,TelegramBot,Twitterbot,Slackbot,LinkedInBot,Discordbot,"
                + "SkypeUriPreview,Googlebot,bingbot,Applebot,curl,python-requests,Go-http-client,HeadlessChrome")
        List<String> previewUserAgents();
    }

    /**
     * Receipts of shop webhooks ({@code commerce_receipt}) older than {@code commerce-receipts} are deleted, {@code batch}
     * per transaction, on {@code cron}.
     */
    interface Retention {

        /** When the job runs (Quartz cron, UTC); at most 6 months apart (3 with {@code verbis-exempt}), else no start. */
        @WithDefault("0 10 4 * * ?")
        String cron();

        /** Whether the controller is exempt from VERBİS registration (periodic destruction every 3 months, not 6). */
        @WithDefault("false")
        boolean verbisExempt();

        /**
         * How long a receipt is kept after it was received: the window in which a shop's re-sent event is answered as
         * a duplicate (or a conflict) instead of being taken again. At least 7 days (Meta's retry window, the yardstick
         * for webhook redeliveries here); twice that by default, a margin for a shop's queue that stalled.
         */
        @WithDefault("P14D")
        Duration commerceReceipts();

        /** Receipts deleted per transaction. */
        @WithDefault("1000")
        int batch();
    }
}
