package io.sohbet.metrics.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.faulttolerance.api.ApplyGuard;
import io.smallrye.mutiny.Uni;
import io.sohbet.events.Channels;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.payload.WaAccount;
import io.sohbet.kit.messaging.ConsumerRetry;
import io.sohbet.metrics.service.VolumeTiers;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Volume-tier reports from {@code wa.account} ({@code account_update} with {@code event:
 * VOLUME_BASED_PRICING_TIER_UPDATE}), kept for the cost reports ({@link VolumeTiers}). Every other account event is
 * campaign-service's business and is skipped here. A report that cannot be read (no month, category, region, tier or
 * time) is skipped with a warning: it would never read better from the dead-letter topic. Idempotent: a redelivered
 * report stores nothing more.
 */
@ApplicationScoped
@ApplyGuard(ConsumerRetry.GUARD) // transient failures are retried before the dead-letter topic
public class VolumeTierListener {

    static final String EVENT = "VOLUME_BASED_PRICING_TIER_UPDATE";
    private static final Logger LOG = Logger.getLogger(VolumeTierListener.class);

    private final VolumeTiers tiers;

    public VolumeTierListener(VolumeTiers tiers) {
        this.tiers = tiers;
    }

    @Incoming(Channels.WA_ACCOUNT_IN)
    public Uni<Void> account(CloudEvent event) {
        WaAccount update = event.dataAs(WaAccount.class);
        if (update == null || !"account_update".equals(update.field()) || update.value() == null
                || !EVENT.equals(update.value().path("event").asText())) {
            return Uni.createFrom().voidItem();
        }
        VolumeTiers.Report report = report(update.value().path("volume_tier_info"));
        if (report == null) {
            LOG.warnf("volume-tier report %s skipped: volume_tier_info lacks a month, category, region, tier or time", event.id());
            return Uni.createFrom().voidItem();
        }
        if (!VolumeTiers.CATEGORIES.contains(report.category())) {
            return Uni.createFrom().voidItem();
        }
        return tiers.record(report).invoke(countries -> {
            if (countries == 0) {
                LOG.warnf("volume tier %s of %s in region %s for %s: the region is not known, kept until a start with its "
                        + "countries in sohbet.metrics.cost.tier-regions", report.tier(), report.category(), report.region(),
                        report.effectiveMonth());
            } else {
                LOG.infof("volume tier %s of %s in region %s from %s (%s)", report.tier(), report.category(), report.region(),
                        report.updatedAt(), report.effectiveMonth());
            }
        }).replaceWithVoid();
    }

    /** The report in {@code volume_tier_info}; {@code null} when a field is missing or malformed. */
    static VolumeTiers.Report report(JsonNode info) {
        String category = info.path("pricing_category").asText("").strip().toLowerCase(Locale.ROOT).replace('-', '_');
        String region = info.path("region").asText("").strip();
        String tier = VolumeTiers.canonical(info.path("tier").asText(null));
        JsonNode time = info.path("tier_update_time");
        if (category.isEmpty() || region.isEmpty() || tier == null || !(time.canConvertToLong() || time.isTextual())) {
            return null;
        }
        try {
            YearMonth month = YearMonth.parse(info.path("effective_month").asText(""));
            long seconds = time.isTextual() ? Long.parseLong(time.asText().strip()) : time.asLong();
            if (seconds <= 0) {
                return null;
            }
            return new VolumeTiers.Report(region, category, month, tier, Instant.ofEpochSecond(seconds));
        } catch (DateTimeParseException | NumberFormatException e) {
            return null;
        }
    }
}
