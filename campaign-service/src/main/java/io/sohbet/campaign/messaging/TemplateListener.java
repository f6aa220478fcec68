package io.sohbet.campaign.messaging;

import io.smallrye.faulttolerance.api.ApplyGuard;
import io.smallrye.mutiny.Uni;
import io.sohbet.campaign.client.TemplateCatalog;
import io.sohbet.campaign.config.CampaignConfig;
import io.sohbet.campaign.service.Campaigns;
import io.sohbet.campaign.service.MessagingLimits;
import io.sohbet.events.Channels;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.payload.WaAccount;
import io.sohbet.kit.messaging.ConsumerRetry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Locale;
import java.util.Set;

/**
 * Messaging-limit reports ({@code business_capability_update}, {@code phone_number_quality_update}: recorded by
 * {@link MessagingLimits}, applied from the next claim on every replica) and template updates of our WhatsApp Business
 * Account from {@code wa.account}: when Meta pauses, disables, rejects or
 * otherwise stops a template ({@code message_template_status_update}) or moves it to another category
 * ({@code template_category_update}: its price and consent rule change), every scheduled or running campaign that
 * sends it is paused with the reason, and the cached template list is dropped. A marketer resumes the campaign once
 * the template is usable again (resuming checks it). Idempotent: a redelivered update pauses nothing more.
 */
@ApplicationScoped
@ApplyGuard(ConsumerRetry.GUARD) // transient failures are retried before the dead-letter topic
public class TemplateListener {

    private static final Logger LOG = Logger.getLogger(TemplateListener.class);
    /** Template states in which nothing can be sent with it (APPROVED, FLAGGED, IN_APPEAL, PENDING leave campaigns alone). */
    static final Set<String> STOPPING = Set.of("PAUSED", "DISABLED", "REJECTED", "PENDING_DELETION", "DELETED", "ARCHIVED",
            "LIMIT_EXCEEDED");

    private final Campaigns campaigns;
    private final MessagingLimits limits;
    private final TemplateCatalog catalog;
    private final String wabaId;

    public TemplateListener(Campaigns campaigns, MessagingLimits limits, TemplateCatalog catalog, CampaignConfig config) {
        this.campaigns = campaigns;
        this.limits = limits;
        this.catalog = catalog;
        this.wabaId = config.whatsapp().wabaId();
    }

    @Incoming(Channels.WA_ACCOUNT_IN)
    public Uni<Void> account(CloudEvent event) {
        WaAccount update = event.dataAs(WaAccount.class);
        if (update == null || update.value() == null || (update.wabaId() != null && !update.wabaId().equals(wabaId))) {
            return Uni.createFrom().voidItem();
        }
        MessagingLimits.Reported limit = MessagingLimits.of(update.field(), update.value());
        if (limit != null) {
            Instant at = update.receivedAt() != null ? update.receivedAt() : event.time();
            return limits.record(limit, at).invoke(changed -> {
                if (changed) {
                    LOG.infof("messaging limit now %s unique recipients per 24 h (Meta's %s)",
                            limit.limit() == 0 ? "unlimited" : String.valueOf(limit.limit()), limit.source());
                }
            }).replaceWithVoid();
        }
        String name = text(update, "message_template_name");
        String language = text(update, "message_template_language");
        String reason = switch (update.field() == null ? "" : update.field()) {
            case "message_template_status_update" -> {
                String status = text(update, "event");
                String why = text(update, "reason");
                yield status != null && STOPPING.contains(status.toUpperCase(Locale.ROOT))
                        ? "Meta set template " + name + " (" + language + ") to " + status.toUpperCase(Locale.ROOT)
                        + (why == null || why.equalsIgnoreCase("NONE") ? "" : " (" + why + ")") : null;
            }
            case "template_category_update" -> {
                String to = text(update, "new_category");
                String from = text(update, "previous_category");
                yield to == null ? null : "Meta re-categorised template " + name + " (" + language + ")"
                        + (from == null ? "" : " from " + from) + " to " + to + ": its price and consent rule change";
            }
            default -> null;
        };
        if (update.field() != null && update.field().startsWith("message_template") || "template_category_update".equals(update.field())) {
            catalog.invalidate();
        }
        if (reason == null || name == null) {
            return Uni.createFrom().voidItem();
        }
        String full = reason + "; resume once the template is approved and checked";
        return campaigns.pauseUsingTemplate(name, language, full).invoke(ids -> ids.forEach(id ->
                LOG.warnf("campaign %s paused: %s", id, reason))).replaceWithVoid();
    }

    private static String text(WaAccount update, String field) {
        var node = update.value().get(field);
        return node == null || node.isNull() ? null : node.asText();
    }
}
