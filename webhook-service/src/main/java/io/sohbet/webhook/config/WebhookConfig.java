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

    /** Largest accepted webhook body; larger ones get 413. Meta batches up to 1000 updates per delivery. */
    @WithDefault("4M")
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
    }

    Commerce commerce();

    Links links();

    interface WhatsApp {
        /** The Meta App Secret that signs webhook bodies (X-Hub-Signature-256). */
        String appSecret();

        /** The previous App Secret, accepted too while a rotation is under way. Empty when none. */
        Optional<String> previousAppSecret();

        /** The verify token configured in the App Dashboard for the GET handshake. */
        String verifyToken();
    }

    interface Commerce {
        /** The secret that signs shop webhooks (X-Sohbet-Signature). */
        String secret();

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

        /** User-Agent fragments of link-preview fetchers and bots: redirected, never counted as clicks. */
        @WithDefault("WhatsApp,facebookexternalhit,Facebot,TelegramBot,Twitterbot,Slackbot,LinkedInBot,Discordbot,"
                + "SkypeUriPreview,Googlebot,bingbot,Applebot,curl,python-requests,Go-http-client,HeadlessChrome")
        List<String> previewUserAgents();
    }
}
