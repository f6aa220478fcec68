package io.sohbet.webhook.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.LinkTokens;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.LinkClick;
import io.sohbet.webhook.config.WebhookConfig;
import io.sohbet.webhook.messaging.EventPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Redeems tracked-link tokens: a valid token gives its target and a {@code link.click} event, except for link-preview
 * fetchers and bots (WhatsApp's own preview crawler fetches every link it shows), which are redirected uncounted.
 */
@ApplicationScoped
public class LinkClicks {

    private static final Logger LOG = Logger.getLogger(LinkClicks.class);

    private final LinkTokens tokens;
    private final List<String> previewAgents;
    private final EventPublisher publisher;
    private final MeterRegistry registry;

    public LinkClicks(WebhookConfig config, EventPublisher publisher, MeterRegistry registry) {
        this.tokens = new LinkTokens(config.links().secret().getBytes(StandardCharsets.UTF_8));
        this.previewAgents = config.links().previewUserAgents().stream().map(a -> a.toLowerCase(Locale.ROOT)).toList();
        this.publisher = publisher;
        this.registry = registry;
    }

    /** The target of a valid token (after recording the click), or empty for an unknown token. */
    public Uni<Optional<String>> redeem(String token, String userAgent) {
        Optional<LinkTokens.Link> link = tokens.verify(token);
        if (link.isEmpty()) {
            registry.counter("sohbet.webhook.link.redirects", "outcome", "unknown").increment();
            return Uni.createFrom().item(Optional.empty());
        }
        LinkTokens.Link l = link.get();
        if (isPreview(userAgent)) {
            registry.counter("sohbet.webhook.link.redirects", "outcome", "preview").increment();
            return Uni.createFrom().item(Optional.of(l.target()));
        }
        Instant now = Instant.now();
        CloudEvent click = CloudEvent.of(Topics.LINK_CLICK, "link.click:" + UUID.randomUUID(), EventDraft.SOURCE, now,
                l.subjectId(), new LinkClick(l.campaignId(), l.variant(), l.linkId(), l.target(), now));
        return publisher.publishAll(List.of(EventPublisher.Outgoing.of(Topics.LINK_CLICK, l.subjectId(), click)))
                .invoke(() -> registry.counter("sohbet.webhook.link.redirects", "outcome", "click").increment())
                .onFailure().recoverWithUni(failure -> {
                    // the customer is redirected all the same; the lost click is counted and logged
                    registry.counter("sohbet.webhook.link.redirects", "outcome", "click-not-stored").increment();
                    LOG.warnf("a click of campaign %s could not be stored: %s", l.campaignId(), failure.getClass().getSimpleName());
                    return Uni.createFrom().voidItem();
                })
                .replaceWith(Optional.of(l.target()));
    }

    boolean isPreview(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return true;
        }
        String agent = userAgent.toLowerCase(Locale.ROOT);
        return previewAgents.stream().anyMatch(agent::contains);
    }
}
