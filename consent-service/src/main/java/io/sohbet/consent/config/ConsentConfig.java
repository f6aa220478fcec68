package io.sohbet.consent.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Configuration of consent-service ({@code sohbet.consent.*}). */
@ConfigMapping(prefix = "sohbet.consent")
public interface ConsentConfig {

    /** The name of this service in audit entries and events. */
    @WithDefault("consent-service")
    String serviceName();

    /** Secret shared by the services that see phone numbers; subject id = HMAC-SHA256(pepper, E.164 phone). */
    String pepper();

    /** Region used to read phone numbers written without a country code. */
    @WithDefault("TR")
    String defaultRegion();

    /** The master key that wraps subjects' data keys: 32 bytes, base64. A Kubernetes Secret in production. */
    String masterKey();

    /** The id of {@link #masterKey()}, stored beside every key it wraps so that it can be rotated. */
    @WithDefault("k1")
    String masterKeyId();

    /**
     * Earlier master keys, {@code id:base64} each: they still unwrap, and the data keys they wrap are re-wrapped to
     * {@link #masterKey()} in the background ({@link #keyRewrap()}). Remove one once no data key uses it (the
     * {@code sohbet_consent_data_keys} gauge).
     */
    Optional<List<String>> previousMasterKeys();

    /**
     * Master keys about to become active, {@code id:base64} each (the first step of a rotation): they unwrap, but wrap
     * nothing and nothing is re-wrapped away from them, so this replica can read the keys that replicas already using
     * the new key write, and does not undo their re-wrap.
     */
    Optional<List<String>> nextMasterKeys();

    /** The background re-wrap of every data key to the active master key. */
    KeyRewrap keyRewrap();

    /** Most subject ids one key request may name. */
    @WithDefault("1000")
    int maxKeyBatch();

    /** Services that must acknowledge an erasure before it is complete. */
    @WithDefault("webhook-service,metrics-service,segment-service,campaign-service")
    List<String> erasureParticipants();

    /**
     * Services that hold data about subjects and answer {@code GET /internal/subjects/{id}/export}: service name →
     * base URL. An access request gathers every one of them.
     */
    Map<String, String> exportEndpoints();

    /**
     * The TLS configuration ({@code quarkus.tls.<name>.*}) whose trust store the export calls use: set in the {@code tls}
     * profile, where the endpoints are HTTPS URLs. Empty = the JVM's default trust.
     */
    Optional<String> exportTlsConfigurationName();

    /** How often waiting access requests are picked up. */
    @WithDefault("2s")
    String accessPoll();

    /** How often the outbox relay looks for unpublished events. */
    @WithDefault("1s")
    String outboxInterval();

    /**
     * Ids of template quick-reply payloads, reply buttons and list rows that withdraw marketing consent when tapped,
     * compared without case, accents or separators ("opt-out" = "OPT_OUT"). A tap whose id or label is itself a stop
     * phrase ({@code docs/stop-signals.md}) stops too, without being listed.
     */
    @WithDefault("STOP,UNSUBSCRIBE,OPT_OUT,STOP_PROMOTIONS,STOP_PROMOS,STOP_MARKETING")
    List<String> stopPayloads();

    /** Most rows one consent import may hold. */
    @WithDefault("10000")
    int maxImportRows();

    /**
     * Rows of an import recorded per transaction. While a chunk's transaction runs it holds the erasure lock of each
     * of its subjects, and from its rows' audit entries, appended together at its end, to its commit the audit chain's
     * lock, which every audited write waits for: a larger chunk commits less often and holds them longer.
     */
    @WithDefault("100")
    int importChunkRows();

    interface KeyRewrap {

        /** How often keys still wrapped by a previous master key are looked for and re-wrapped. */
        @WithDefault("10s")
        String interval();

        /** Keys re-wrapped per transaction (one batch, claimed with {@code FOR UPDATE SKIP LOCKED}). */
        @WithDefault("500")
        int batchSize();

        /** How often the data keys per master key are counted for the {@code sohbet_consent_data_keys} gauge. */
        @WithDefault("60s")
        String countInterval();
    }

    /** Self-service privacy over WhatsApp: keywords a customer writes, and the answers ({@code docs/self-service.md}). */
    SelfService selfService();

    interface SelfService {

        /**
         * Whether customers' keywords are answered. On, the Cloud API's phone number id and token are required (the
         * service refuses to start without them); off, keywords are ordinary messages.
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * The keywords of each command (command name → its Turkish and English phrases), compared with the whole message
         * as stop words are (case, accents and punctuation folded: {@code VERİLERİM} = {@code verilerim} = {@code Verilerim!}).
         * Commands: {@code data} (what is held), {@code consents} (each purpose's state), {@code erase} (erasure, after a
         * confirmation), {@code preferences} (a link to the preference page). Checked at start: every phrase non-empty, in one command only, and no stop phrase.
         */
        Map<String, Keywords> keywords();

        /** How long after the customer's message an answer may still go out (WhatsApp's customer-service window). */
        @WithDefault("PT24H")
        Duration window();

        /** How long an erasure confirmation button stays valid. */
        @WithDefault("PT24H")
        Duration confirmationLifetime();

        /** How often answers waiting to be sent are looked for. */
        @WithDefault("1s")
        String relayInterval();

        /** How long a failing answer is tried again, at most (and never past the window). */
        @WithDefault("PT1H")
        Duration giveUpAfter();

        /** The Cloud API the answers are sent through (the same number campaigns are sent from). */
        WhatsApp whatsapp();

        interface Keywords {

            /** Phrases answered in Turkish. */
            List<String> turkish();

            /** Phrases answered in English. */
            Optional<List<String>> english();
        }

        interface WhatsApp {

            /** The Cloud API (the simulator's URL in tests and the local run). */
            @WithDefault("https://graph.facebook.com")
            java.net.URI baseUrl();

            @WithDefault("v23.0")
            String apiVersion();

            /** The business phone number answers are sent from. */
            Optional<String> phoneNumberId();

            /** System-user access token (secret). */
            Optional<String> accessToken();

            /** How long one send request may take. */
            @WithDefault("PT10S")
            Duration timeout();
        }
    }

    /** The preference page: one-time links to a public page where a person grants or withdraws each purpose. */
    Preferences preferences();

    interface Preferences {

        /**
         * The public address the page is reached at (the chart's preference-page Ingress, e.g.
         * {@code https://tercih.example.com}); links are {@code <base-url>/preferences/<token>}. A link is issued only when
         * set.
         */
        Optional<java.net.URI> baseUrl();

        /** How long a link can be opened after it was issued. */
        @WithDefault("PT24H")
        Duration linkLifetime();

        /** How long the session a link's first open starts lasts (never beyond the link's own expiry). */
        @WithDefault("PT30M")
        Duration sessionLifetime();

        /**
         * The notice (aydınlatma metni / açık rıza metni) shown for each purpose (marketing, analytics, profiling): a
         * grant on the page records it as the proof of what was shown. A purpose without one can be withdrawn, not
         * granted (the page says so). Checked at start: id 1–100 characters, version 1–40, sha256 64 lowercase hex digits,
         * url an absolute http(s) address (PreferencePage#check).
         */
        Map<String, Notice> notices();

        interface Notice {

            /** The notice's id, as in the ledger. */
            String id();

            /** Its version. */
            String version();

            /** SHA-256 of its exact text, lowercase hex. */
            String sha256();

            /**
             * Where the person can read it (linked from the page). Without it the purpose is treated as having no notice:
             * a grant needs a notice the person can read.
             */
            Optional<java.net.URI> url();
        }
    }

    /** Mirroring marketing consents to İYS, Türkiye's registry of commercial-message consents; off unless configured. */
    IysConfig iys();

    /** How long data is kept when its purpose no longer needs it. */
    Retention retention();

    /**
     * Whether the controller is exempt from VERBİS registration (and so from keeping a retention and destruction
     * policy): then periodic destruction must run at least every 3 months instead of 6 (the retention cron is checked
     * at startup, {@code RetentionSchedule}).
     */
    @WithDefault("false")
    boolean verbisExempt();

    /** The keyed audit chain and the publication of its head. */
    Audit audit();

    interface Audit {

        /**
         * The key of the audit chain's HMAC-SHA256 and of the keyed hashes of subjects named in entries: base64 of at
         * least 32 bytes. Kept outside the database (a Kubernetes Secret): whoever can write the database but does not
         * hold it cannot rewrite an entry undetected. Required.
         */
        String hmacKey();

        /** The id of {@link #hmacKey()}, stored with every entry it keys; change it together with the key to rotate. */
        @WithDefault("a1")
        String hmacKeyId();

        /** Earlier keys, {@code id:base64} each, that still verify the entries keyed with them before a rotation. */
        Optional<List<String>> previousHmacKeys();

        /** How often the chain's head is checked and published to {@code audit.head} (only when it changed). */
        @WithDefault("30s")
        String headInterval();

        /** How long a verification waits for the head last published to Kafka. */
        @WithDefault("10s")
        Duration headReadTimeout();

        /**
         * Refuse to start when the database role the service runs as may update, delete or truncate audit entries
         * (it should only insert and read them; migrations run as the owner role).
         */
        @WithDefault("true")
        boolean requireAppendOnly();
    }

    interface Retention {

        /**
         * When the retention job runs (Quartz-style cron, UTC). The service refuses to start when two runs can be more
         * than 6 months apart (3 with {@code verbis-exempt}): the KVKK destruction regulation's longest interval.
         */
        @WithDefault("0 20 3 * * ?")
        String cron();

        /** An access request's export is deleted this long after the request completed. */
        @WithDefault("P30D")
        Duration accessExport();

        /** Contact details of a subject with no granted consent, not seen for this long, are deleted. */
        @WithDefault("P365D")
        Duration identityWithoutConsent();

        /** The evidence of a ledger entry that a later entry superseded is deleted this long after it was recorded. */
        @WithDefault("P1095D")
        Duration supersededEvidence();

        /** Records of consumed events (redelivery protection) are kept this long. */
        @WithDefault("P30D")
        Duration processedEvents();
    }
}
