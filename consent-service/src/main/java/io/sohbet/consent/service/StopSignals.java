package io.sohbet.consent.service;

import io.sohbet.consent.config.ConsentConfig;
import io.sohbet.events.payload.WaInbound;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which inbound WhatsApp messages withdraw marketing consent, and as what: a typed stop phrase ({@link StopWords}), a
 * tapped template quick-reply button, or a tapped interactive reply button or list row whose id is a stop payload id
 * ({@code sohbet.consent.stop-payloads}) or whose id or label is a stop phrase. Meta's {@code user_preferences} stop is
 * handled by {@link WhatsAppRevocations#onPreference}.
 */
@ApplicationScoped
public class StopSignals {

    /** Ledger sources, one per kind of signal. */
    public static final String SOURCE_TEXT = "whatsapp-stop-reply";
    public static final String SOURCE_BUTTON = "whatsapp-button";
    public static final String SOURCE_BUTTON_REPLY = "whatsapp-button-reply";
    public static final String SOURCE_LIST_REPLY = "whatsapp-list-reply";

    /**
     * What stopped marketing: the ledger source and the part of the message that matched (for a tap, the field and
     * its business-defined value; for typed text only "text", never the customer's words).
     */
    public record Signal(String source, String matched) {
    }

    private final Set<String> payloads;

    @Inject
    public StopSignals(ConsentConfig config) {
        this(config.stopPayloads());
    }

    public StopSignals(Collection<String> stopPayloads) {
        this.payloads = stopPayloads.stream().map(StopSignals::payloadKey).filter(k -> !k.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    /** A typed message, whose sealed text has to be opened to know. */
    public static boolean isText(WaInbound message) {
        return "text".equals(message.messageType());
    }

    /** Whether the message may withdraw consent: a typed message (to be opened), or a tap that is a stop. */
    public boolean mayStop(WaInbound message) {
        return isText(message) || tapped(message).isPresent();
    }

    /** A typed message's opened text, as a signal if it is a stop phrase. */
    public Optional<Signal> typed(String text) {
        return StopWords.isStop(text) ? Optional.of(new Signal(SOURCE_TEXT, "text")) : Optional.empty();
    }

    /** A tapped template quick-reply button, reply button or list row, as a signal if it is a stop. */
    public Optional<Signal> tapped(WaInbound message) {
        if ("button".equals(message.messageType())) {
            return tap(SOURCE_BUTTON, "button.payload", "button.text", message);
        }
        if ("interactive".equals(message.messageType()) && "button_reply".equals(message.interactiveType())) {
            return tap(SOURCE_BUTTON_REPLY, "button_reply.id", "button_reply.title", message);
        }
        if ("interactive".equals(message.messageType()) && "list_reply".equals(message.interactiveType())) {
            return tap(SOURCE_LIST_REPLY, "list_reply.id", "list_reply.title", message);
        }
        return Optional.empty();
    }

    private Optional<Signal> tap(String source, String idField, String titleField, WaInbound message) {
        String id = message.replyId();
        if (id != null && (payloads.contains(payloadKey(id)) || StopWords.isStopLabel(id))) {
            return Optional.of(new Signal(source, idField + "=" + id));
        }
        String title = message.replyTitle();
        if (title != null && StopWords.isStopLabel(title)) {
            return Optional.of(new Signal(source, titleField + "=" + title));
        }
        return Optional.empty();
    }

    /** A payload id compared without case, accents or separators: "opt-out", "Opt Out" and "OPT_OUT" are one. */
    static String payloadKey(String id) {
        return StopWords.fold(id).replace(' ', '_');
    }
}
