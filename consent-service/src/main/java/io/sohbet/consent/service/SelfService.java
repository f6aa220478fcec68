package io.sohbet.consent.service;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.config.ConsentConfig;
import io.sohbet.consent.domain.SelfServiceReply;
import io.sohbet.consent.repository.Database;
import io.sohbet.events.FieldCipher;
import io.sohbet.events.FieldDecryptionException;
import io.sohbet.events.payload.WaInbound;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Self-service privacy over WhatsApp (docs/self-service.md). A customer's typed message that is, as a whole, a keyword
 * ({@link SelfServiceKeywords}) is answered by its command ({@link SelfServiceCommand}); a tap on the buttons of an
 * erasure confirmation ({@link ErasureConfirmation}) files the erasure or cancels it. Each message is handled once: in
 * one transaction under the person's erasure lock, an event about a person erased since is dropped, a redelivered one
 * (its event id in {@code self_service_message}) does nothing, one older than the customer-service window is recorded
 * and not answered, and the answer is queued ({@link SelfServiceReplies}) with the record of the message. Answers go to
 * the person's phone, or to their business-scoped user id when only that is known; someone neither is known of gets
 * none. The person's words are opened only to be compared, and never logged or stored.
 */
@ApplicationScoped
public class SelfService {

    /** Outcomes of a handled message, as recorded. */
    static final String ANSWERED = "answered";
    static final String OUTSIDE_WINDOW = "outside-window";
    static final String NO_CONTACT = "no-contact";

    private final ConsentConfig.SelfService config;
    private final SelfServiceKeywords keywords;
    private final Map<String, SelfServiceCommand> commands = new TreeMap<>();
    private final ErasureConfirmation erasure;
    private final SelfServiceReplies replies;
    private final KeyVault keys;
    private final IdentityVault identities;
    private final IdentifierLinks links;
    private final ErasureLock lock;
    private final AuditLog audit;
    private final Database database;

    public SelfService(ConsentConfig config, SelfServiceKeywords keywords, Instance<SelfServiceCommand> commands,
            ErasureConfirmation erasure, SelfServiceReplies replies, KeyVault keys, IdentityVault identities,
            IdentifierLinks links, ErasureLock lock, AuditLog audit, Database database) {
        this.config = config.selfService();
        this.keywords = keywords;
        commands.forEach(command -> this.commands.put(command.name(), command));
        this.erasure = erasure;
        this.replies = replies;
        this.keys = keys;
        this.identities = identities;
        this.links = links;
        this.lock = lock;
        this.audit = audit;
        this.database = database;
    }

    /** Checks the configuration at start: keywords and commands match, and the Cloud API is configured. */
    void onStart(@Observes StartupEvent start) {
        if (!config.enabled()) {
            return;
        }
        Set<String> configured = keywords.commands();
        if (!configured.equals(commands.keySet())) {
            Set<String> without = new TreeSet<>(configured);
            without.removeAll(commands.keySet());
            Set<String> unconfigured = new TreeSet<>(commands.keySet());
            unconfigured.removeAll(configured);
            throw new IllegalStateException("sohbet.consent.self-service.keywords: commands without an answer " + without
                    + ", answers without keywords " + unconfigured);
        }
        if (config.whatsapp().phoneNumberId().isEmpty() || config.whatsapp().accessToken().isEmpty()) {
            throw new IllegalStateException("self-service answers need the Cloud API: set WHATSAPP_PHONE_NUMBER_ID and "
                    + "WHATSAPP_ACCESS_TOKEN, or turn self-service off (SOHBET_SELF_SERVICE_ENABLED=false)");
        }
    }

    /** Whether the message may be self-service: a typed message (to be opened) or a tap on a confirmation's buttons. */
    public boolean concerns(WaInbound message) {
        return config.enabled() && (StopSignals.isText(message) || ErasureConfirmation.tapped(message) != null);
    }

    /** Handles a customer's message; true when it was self-service and recorded (answered or not). */
    public Uni<Boolean> onInbound(String eventId, String subject, WaInbound message, Instant at) {
        if (subject == null || eventId == null) {
            return Uni.createFrom().item(false);
        }
        ErasureConfirmation.Tap tap = ErasureConfirmation.tapped(message);
        if (tap != null) {
            return handle(eventId, subject, at, tap.confirm() ? "erase-confirm" : "erase-cancel",
                    recipient -> erasure.onTap(subject, tap, recipient, at));
        }
        if (!StopSignals.isText(message) || message.text() == null) {
            return Uni.createFrom().item(false);
        }
        return keys.find(Set.of(subject)).flatMap(found -> {
            byte[] key = found.get(subject);
            String text;
            try {
                text = key == null ? null : FieldCipher.decrypt(key, subject, message.text());
            } catch (FieldDecryptionException erasedOrForeign) {
                text = null;
            }
            return text == null ? Uni.createFrom().item(false) : keywords.recognize(text)
                    .map(recognized -> handle(eventId, subject, at, recognized.command(), recipient -> commands.get(recognized.command())
                            .answer(new SelfServiceCommand.Asked(subject, recognized.language(), at, eventId))
                            .map(ErasureConfirmation.Effect::answer)))
                    .orElseGet(() -> Uni.createFrom().item(false));
        });
    }

    /**
     * In one transaction under the person's erasure lock: drops an event about a person erased since and a redelivery,
     * records one outside the window or without a recipient, else runs {@code effect} and queues its answer.
     */
    private Uni<Boolean> handle(String eventId, String subject, Instant at, String command,
            java.util.function.Function<SelfServiceReplies.Recipient, Uni<ErasureConfirmation.Effect>> effect) {
        Instant now = Instant.now();
        Instant windowEnds = at.plus(config.window());
        // read before the transaction (and before a confirmed erasure deletes it); a person seen for the first time may
        // have their number recorded from wa.contact a moment after their message arrives here: asked a few times
        return recipientSoon(subject).flatMap(found -> database.inTransaction(() -> lock.holdAndCheck(subject, at)
                .flatMap(erased -> erased ? Uni.createFrom().item(false) : handled(eventId).flatMap(before -> {
                    if (before) {
                        return Uni.createFrom().item(false);
                    }
                    if (!now.isBefore(windowEnds)) {
                        return record(eventId, subject, command, OUTSIDE_WINDOW, at);
                    }
                    return Uni.createFrom().item(found).flatMap(recipient -> recipient == null ? record(eventId, subject, command, NO_CONTACT, at)
                            : effect.apply(recipient).flatMap(done -> (done.answer() == null ? Uni.createFrom().voidItem()
                                    : replies.queue(subject, recipient, done.answer(), SelfServiceReply.ANSWER, null, windowEnds))
                                    // an erasure deleted the person's records: a redelivery finds them erased instead
                                    .chain(() -> done.erased() ? audit.append("whatsapp", "self-service." + command, subject,
                                            Map.of("outcome", done.outcome())).replaceWith(true)
                                            : record(eventId, subject, command, done.outcome(), at))));
                }))));
    }

    /** The recipient, asked again a few times (within about 3 s) while none is known. */
    private Uni<SelfServiceReplies.Recipient> recipientSoon(String subject) {
        return recipient(subject).onItem().ifNull().failWith(NoRecipientYet::new)
                .onFailure(NoRecipientYet.class).retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(1)).atMost(5)
                .onFailure(NoRecipientYet.class).recoverWithNull();
    }

    private static final class NoRecipientYet extends RuntimeException {

        NoRecipientYet() {
            super("no phone or business-scoped user id known yet", null, false, false);
        }
    }

    private Uni<Boolean> handled(String eventId) {
        return database.count("SELECT count(*) FROM self_service_message WHERE event_id = $1", eventId)
                .map(count -> count > 0);
    }

    private Uni<Boolean> record(String eventId, String subject, String command, String outcome, Instant at) {
        return database.update("INSERT INTO self_service_message (event_id, subject_id, command, outcome, "
                                + "received_at, handled_at) VALUES ($1, $2, $3, $4, $5, $6)",
                        eventId, subject, command, outcome, at.truncatedTo(ChronoUnit.MICROS),
                        Instant.now().truncatedTo(ChronoUnit.MICROS))
                .chain(() -> audit.append("whatsapp", "self-service." + command, subject, Map.of("outcome", outcome)))
                .replaceWith(true);
    }

    /**
     * Where the answer goes, by campaign sending's rule ({@link ContactResolver.Address#of}): the person's phone, or their
     * latest business-scoped user id when no phone is known or WhatsApp now withholds their number; null when neither.
     */
    private Uni<SelfServiceReplies.Recipient> recipient(String subject) {
        return identities.open(Set.of(subject)).flatMap(contacts -> {
            IdentityVault.Contact contact = contacts.get(subject);
            String phone = contact == null ? null : contact.phone();
            return keys.find(Set.of(subject)).flatMap(links::latestBusinessScopedUserIds).map(bsuids -> {
                ContactResolver.Address address = ContactResolver.Address.of(phone, bsuids.get(subject));
                if (address == null) {
                    return null;
                }
                return ContactResolver.Address.PHONE.equals(address.type()) ? new SelfServiceReplies.Recipient(address.value(), null)
                        : new SelfServiceReplies.Recipient(null, address.value());
            });
        });
    }

    /** How long after the customer's message an answer may go out. */
    Duration window() {
        return config.window();
    }
}
