package io.sohbet.consent.service;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * One self-service command a customer can write over WhatsApp: a CDI bean whose {@link #name()} is a key of
 * {@code sohbet.consent.self-service.keywords} (the service refuses to start when a command has keywords but no bean,
 * or a bean no keywords). {@link SelfService} recognises the keyword, checks the window, the erasure and redeliveries,
 * finds where to answer and sends what {@link #answer} returns. To add one: a bean implementing this interface, and its
 * keywords in the configuration (README → Configuration, docs/self-service.md).
 */
public interface SelfServiceCommand {

    /** The command's name, as in the configuration of its keywords. */
    String name();

    /**
     * The answer: a Cloud API message body without the recipient and {@code messaging_product} (e.g. {@code type: text}
     * with {@code text.body}). Called inside the transaction that records the customer's message, under the person's
     * erasure lock; whatever it writes commits with the answer.
     */
    Uni<JsonObject> answer(Asked asked);

    /** Who asked, in which language, when (the message's time), and the id of the message's event. */
    record Asked(String subject, SelfServiceKeywords.Language language, Instant at, String eventId) {

        public boolean english() {
            return language == SelfServiceKeywords.Language.ENGLISH;
        }
    }

    /** A free-form text message's body. */
    static JsonObject text(String body) {
        return new JsonObject().put("type", "text").put("text", new JsonObject().put("preview_url", false).put("body", body));
    }
}
