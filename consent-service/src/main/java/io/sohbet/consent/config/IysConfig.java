package io.sohbet.consent.config;

import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * İYS (İleti Yönetim Sistemi), {@code sohbet.consent.iys.*}: nothing is sent to or read from İYS, and nothing is
 * enforced, unless a channel is listed under {@link #channels()}. The credentials and codes are the brand's own
 * (README, İYS).
 */
public interface IysConfig {

    /** İYS's API. Production: {@code https://api.iys.org.tr}; tests point it at devstack's simulator. */
    @WithDefault("https://api.iys.org.tr")
    URI baseUrl();

    /** The brand's API user (OAuth2 password grant); required once a channel is configured. */
    Optional<String> username();

    /** Its password; required once a channel is configured. A Kubernetes Secret in production. */
    Optional<String> password();

    /** The service provider's İYS number ({@code /sps/{iysCode}}). */
    Optional<String> iysCode();

    /** The brand's İYS number ({@code /brands/{brandCode}}). */
    Optional<String> brandCode();

    /**
     * Our consent channels mirrored to İYS (the ledger's channel, e.g. {@code whatsapp}) and how. A channel not listed
     * is neither synced nor enforced. Whether WhatsApp marketing is an İYS {@code MESAJ} is not settled in writing.
     */
    Map<String, Channel> channels();

    /**
     * The İYS source ({@code HS_*}) each of our consent sources is reported as (application.properties lists web-form
     * HS_WEB, whatsapp-opt-in HS_MESAJ, shop HS_FIZIKSEL_ORTAM); sources not listed use {@link #defaultSource()}.
     */
    Map<String, String> sources();

    /** The İYS source of consent sources not listed in {@link #sources()} (imports, admin entries, stop signals). */
    @WithDefault("HS_EORTAM")
    String defaultSource();

    /** How often pending records are uploaded and open batch requests polled for their results. */
    @WithDefault("1m")
    Duration syncInterval();

    /** Most records in one asynchronous batch request (İYS takes up to 10,000). */
    @WithDefault("1000")
    int batchSize();

    /** How often İYS's change feed is read for citizens' own changes ({@code source=IYS}). */
    @WithDefault("1h")
    Duration pollInterval();

    /**
     * How often the ledger is compared with İYS (README, İYS: reconciliation), one status query per Turkish number and
     * channel within {@code limits.status}; the first run comes one interval after start.
     */
    @WithDefault("24h")
    Duration reconcileInterval();

    /**
     * Whether the backfill (README, İYS: backfill) starts by itself for a channel mirrored to İYS that never had one:
     * the marketing consents current before İYS was turned on are checked with İYS once and queued when İYS lacks them.
     * Off, it starts only on {@code POST /api/iys/backfill}.
     */
    @WithDefault("true")
    boolean backfillOnStart();

    /** Ledger entries checked in one backfill step (one İYS status query each, within {@code limits.status}). */
    @WithDefault("20")
    int backfillPage();

    /** How long one call's transient failures (429, 5xx, network) are retried, with backoff from 1 s up to 30 s. */
    @WithDefault("2m")
    Duration retryFor();

    /** The wait before a record whose upload failed is tried again, doubling with each attempt up to an hour. */
    @WithDefault("1m")
    Duration retryBackoff();

    /** Uploads of one record before it is left failed for a privacy officer to look at. */
    @WithDefault("10")
    int maxAttempts();

    /** Calls per minute allowed to each İYS operation (tokens: per hour); İYS's own limits are unofficial. */
    Limits limits();

    interface Channel {

        /** The İYS type our channel is recorded as: MESAJ, ARAMA or EPOSTA. */
        @WithDefault("MESAJ")
        String type();

        /** Withhold marketing contacts without an İYS ONAY for this channel at send time. */
        @WithDefault("false")
        boolean enforce();
    }

    interface Limits {

        @WithDefault("10")
        int tokenPerHour();

        @WithDefault("50")
        int add();

        @WithDefault("2")
        int batch();

        @WithDefault("20")
        int result();

        @WithDefault("100")
        int status();

        @WithDefault("50")
        int changes();
    }
}
