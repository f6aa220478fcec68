package io.sohbet.metrics.rest;

import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.sohbet.events.payload.CampaignMessage;
import io.sohbet.events.payload.CommerceEvent;
import io.sohbet.events.payload.LinkClick;
import io.sohbet.events.payload.WaInbound;
import io.sohbet.events.payload.WaStatus;
import io.sohbet.metrics.service.EngagementFacts;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Writes facts through {@link EngagementFacts}, the very methods the Kafka listener calls for each event, without the
 * broker in between: for tests that need many events fast. What the listener adds (the erasure check, the batching of
 * statuses by poll) is tested with the broker elsewhere.
 */
final class FactWriter {

    private final EngagementFacts facts;

    FactWriter(EngagementFacts facts) {
        this.facts = facts;
    }

    Uni<Void> message(String subject, String wamid, String campaign, String variant, String type, Instant sentAt) {
        return facts.campaignMessage(subject, new CampaignMessage(wamid, campaign, variant, type, sentAt));
    }

    Uni<Void> message(String subject, String wamid, String campaign, String variant, String type, Instant sentAt, boolean csatSurvey) {
        return facts.campaignMessage(subject, new CampaignMessage(wamid, campaign, variant, type, sentAt, csatSurvey));
    }

    /** A campaign message that asks the CSAT question. */
    Uni<Void> survey(String subject, String wamid, String campaign, Instant sentAt) {
        return facts.campaignMessage(subject, new CampaignMessage(wamid, campaign, "A", "interactive", sentAt, true));
    }

    /** A tapped button or list row (id and title), quoting {@code context}. */
    Uni<Void> tap(String subject, String wamid, Instant at, String replyId, String replyTitle, String context) {
        return facts.inbound(subject, new WaInbound(wamid, "pn", at, "interactive", "interactive", "button_reply", null, null, null,
                null, replyId, replyTitle, null, null, context, false, null, null, null, null, List.of()));
    }

    static WaStatus status(String wamid, String status, Instant at, Integer error) {
        return new WaStatus(wamid, status, at, "pn", "individual", null, null, null, null, null, null, null,
                error == null ? List.of() : List.of(new io.sohbet.events.payload.WaError(error, "limit", null, null)));
    }

    Uni<Void> statuses(List<Map.Entry<String, WaStatus>> batch) {
        return facts.statuses(batch);
    }

    Uni<Void> click(String eventId, String subject, String campaign, String variant, Instant at) {
        return facts.click(eventId, subject, new LinkClick(campaign, variant, "cta", "https://shop.example/", at));
    }

    Uni<Void> order(String subject, String orderId, String type, Instant at) {
        return facts.commerce(subject, new CommerceEvent("shop-" + orderId, type, at, orderId, null, new BigDecimal("420.00"), "TRY",
                List.of(), null));
    }

    Uni<Void> reply(String subject, String wamid, Instant at, String type, String replyId, String emoji, String context,
            String reactionTo) {
        return facts.inbound(subject, new WaInbound(wamid, "pn", at, type, type, null, null, null, null, null, replyId, null, emoji,
                reactionTo, context, false, null, null, null, null, List.of()));
    }

    Uni<Void> optOut(String eventId, String subject, Instant at) {
        return facts.optOut(eventId, subject, at, "whatsapp-stop-reply");
    }

    static void await(Uni<Void> write) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> write);
    }
}
