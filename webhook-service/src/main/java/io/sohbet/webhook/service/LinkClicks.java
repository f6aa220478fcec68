package io.sohbet.webhook.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.sohbet.kit.keys.ErasedSubjects;
import io.sohbet.kit.keys.SubjectKeys;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.LinkKeys;
import io.sohbet.events.LinkTokens;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.LinkClick;
import io.sohbet.webhook.config.WebhookConfig;
import io.sohbet.webhook.messaging.EventPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Redeems tracked-link tokens: a valid token gives its target and a {@code link.click} event, except for link-preview
 * fetchers and bots (WhatsApp's own preview crawler fetches every link it shows), expired links and links of people
 * erased since the link was issued ({@link #erasedSinceIssued}), which are redirected without a click. Forged or
 * altered tokens, and those signed with a key that is not configured, are unknown.
 *
 * <p>A click counts once per link and person within {@code click-window}: its event id is derived from the link, the
 * person and the clock-aligned window, so that a repeat on another replica is the same event to every (idempotent)
 * consumer, and each replica remembers the windows it counted so that a repeat is not even published. A source that
 * recorded {@code clicks-per-source} clicks in {@code source-period} is redirected without counting until its period
 * ends: the link keeps working for a crowd behind one carrier-grade NAT, but nobody can inflate clicks or pick an A/B
 * winner with a pile of links.
 */
@Startup // a wrong key configuration stops the start, not the first click
@ApplicationScoped
public class LinkClicks {

    private static final Logger LOG = Logger.getLogger(LinkClicks.class);

    private final LinkTokens tokens;
    private final List<String> previewAgents;
    private final EventPublisher publisher;
    private final MeterRegistry registry;
    private final SubjectKeys subjectKeys;
    private final Duration lifetime;
    private final Duration window;
    private final Cache<String, Boolean> counted;
    private final ClickSources sources;

    public LinkClicks(WebhookConfig config, EventPublisher publisher, MeterRegistry registry, SubjectKeys subjectKeys) {
        WebhookConfig.Links links = config.links();
        LinkKeys keys = LinkKeys.of(links.keyId(), links.secret(), links.secrets().orElse(List.of()));
        this.lifetime = links.lifetime();
        this.tokens = new LinkTokens(keys, lifetime, links.v1ValidUntil());
        LOG.infof("tracked links: keys %s (new links signed with %s); format-1 links count clicks %s", keys.ids(),
                keys.currentId(), links.v1ValidUntil().map(t -> "until " + t).orElse("no more"));
        this.previewAgents = config.links().previewUserAgents().stream().map(a -> a.toLowerCase(Locale.ROOT)).toList();
        this.publisher = publisher;
        this.registry = registry;
        this.subjectKeys = subjectKeys;
        this.window = links.clickWindow();
        this.counted = Caffeine.newBuilder().maximumSize(links.sources()).expireAfterWrite(window).build();
        this.sources = new ClickSources(links.clicksPerSource(), links.sourcePeriod(), links.sources());
    }

    /** The target of a genuine token (after recording the click, if it counts one), or empty for an unknown token. */
    public Uni<Optional<String>> redeem(String token, String userAgent, String source) {
        Optional<LinkTokens.Verified> verified = tokens.verify(token);
        if (verified.isEmpty()) {
            registry.counter("sohbet.webhook.link.redirects", "outcome", "unknown").increment();
            return Uni.createFrom().item(Optional.empty());
        }
        LinkTokens.Link l = verified.get().link();
        if (isPreview(userAgent)) {
            registry.counter("sohbet.webhook.link.redirects", "outcome", "preview").increment();
            return Uni.createFrom().item(Optional.of(l.target()));
        }
        Instant now = Instant.now();
        if (verified.get().expiredAt(now)) {
            // an old link still takes the customer where it promised, but records nothing about them any more
            registry.counter("sohbet.webhook.link.redirects", "outcome", "expired").increment();
            return Uni.createFrom().item(Optional.of(l.target()));
        }
        String eventId = eventId(l, now, window);
        if (counted.asMap().putIfAbsent(eventId, Boolean.TRUE) != null) {
            registry.counter("sohbet.webhook.link.redirects", "outcome", "repeat").increment();
            return Uni.createFrom().item(Optional.of(l.target()));
        }
        if (!sources.take(source)) {
            counted.invalidate(eventId); // not counted: a click of this window may still count once the source may again
            registry.counter("sohbet.webhook.link.redirects", "outcome", "rate-limited").increment();
            return Uni.createFrom().item(Optional.of(l.target()));
        }
        Optional<Instant> issuedAt = token.startsWith("2.") ? Optional.of(verified.get().expiresAt().minus(lifetime))
                : Optional.empty(); // format 1 says nothing of when it was issued
        return subjectKeys.erasures(Set.of(l.subjectId())).map(info -> !erasedSinceIssued(info.get(l.subjectId()), issuedAt))
                .onFailure().recoverWithItem(failure -> {
                    // the vault cannot say: erasures are rare and the click is the customer's, so it is recorded
                    registry.counter("sohbet.webhook.link.redirects", "outcome", "erasure-unchecked").increment();
                    return true;
                })
                .flatMap(known -> {
                    if (!known) {
                        // erased since the link was sent: the link still works, nothing is recorded (a click of a
                        // person who came back would add their real subject id to an old campaign folded at erasure)
                        registry.counter("sohbet.webhook.link.redirects", "outcome", "erased").increment();
                        return Uni.createFrom().item(Optional.of(l.target()));
                    }
                    return click(l, now, eventId, source);
                });
    }

    /**
     * The id of a click: one per link (campaign, variant, link id), person and window, the same on every replica. A
     * name-based UUID, as click ids were random UUIDs before.
     */
    static String eventId(LinkTokens.Link l, Instant now, Duration window) {
        long windowIndex = now.toEpochMilli() / window.toMillis();
        String name = String.join("\0", l.subjectId(), l.campaignId(), String.valueOf(l.variant()), l.linkId(),
                Long.toString(windowIndex));
        return "link.click:" + UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }

    private Uni<Optional<String>> click(LinkTokens.Link l, Instant now, String eventId, String source) {
        CloudEvent click = CloudEvent.of(Topics.LINK_CLICK, eventId, EventDraft.SOURCE, now,
                l.subjectId(), new LinkClick(l.campaignId(), l.variant(), l.linkId(), l.target(), now));
        return publisher.publishAll(List.of(EventPublisher.Outgoing.of(Topics.LINK_CLICK, l.subjectId(), click)))
                .invoke(() -> registry.counter("sohbet.webhook.link.redirects", "outcome", "click").increment())
                .onFailure().recoverWithUni(failure -> {
                    // the customer is redirected all the same; the lost click is counted and logged
                    registry.counter("sohbet.webhook.link.redirects", "outcome", "click-not-stored").increment();
                    counted.invalidate(eventId); // the next click of this window may still be recorded
                    sources.giveBack(source);
                    LOG.warnf("a click of campaign %s could not be stored: %s", l.campaignId(), failure.getClass().getSimpleName());
                    return Uni.createFrom().voidItem();
                })
                .replaceWith(Optional.of(l.target()));
    }

    /**
     * Whether a click on a link issued at {@code issuedAt} (empty: unknown, a format-1 link) is about an erased person:
     * one without a key (erased and not back), or erased at or after the link was issued, even if they came back since.
     */
    static boolean erasedSinceIssued(SubjectKeys.ErasureInfo info, Optional<Instant> issuedAt) {
        return info == null || !info.hasKey() || ErasedSubjects.erased(info, issuedAt.orElse(Instant.MIN));
    }

    boolean isPreview(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return true;
        }
        String agent = userAgent.toLowerCase(Locale.ROOT);
        return previewAgents.stream().anyMatch(agent::contains);
    }
}
