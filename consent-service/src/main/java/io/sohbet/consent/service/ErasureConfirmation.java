package io.sohbet.consent.service;

import io.smallrye.mutiny.Uni;
import io.sohbet.consent.config.ConsentConfig;
import io.sohbet.consent.domain.DsrRequest;
import io.sohbet.consent.domain.SelfServiceReply;
import io.sohbet.consent.repository.Database;
import io.sohbet.events.payload.WaInbound;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/**
 * {@code VERİLERİMİ SİL} / {@code DELETE MY DATA}: answered with a confirmation, two reply buttons whose ids carry a
 * random nonce ({@code sohbet-erase-confirm:<nonce>}, {@code sohbet-erase-cancel:<nonce>}) kept in
 * {@code self_service_confirmation} with the person and an expiry ({@code confirmation-lifetime}, 24 h). A tap on
 * confirm from that person before the expiry files an ordinary erasure request ({@link DataSubjectRequests}, source
 * {@code whatsapp}, actor {@value #ACTOR}: same deadlines, audit and destruction records) and queues the notice that
 * tells the person when it is done ({@link SelfServiceReplies}); cancel answers that nothing was erased. A nonce that is
 * unknown, expired, used or another person's does nothing but a polite answer.
 */
@ApplicationScoped
public class ErasureConfirmation implements SelfServiceCommand {

    static final String CONFIRM = "sohbet-erase-confirm:";
    static final String CANCEL = "sohbet-erase-cancel:";
    /** Who asked for an erasure filed over WhatsApp: the person, proven by the message (docs/self-service.md). */
    public static final String ACTOR = "subject-via-whatsapp";

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A tap on one of the confirmation's buttons. */
    record Tap(boolean confirm, String nonce) {
    }

    /** What a command or tap did: the answer to queue (or none), the outcome recorded, whether the person was erased. */
    record Effect(JsonObject answer, String outcome, boolean erased) {

        static Effect answer(JsonObject answer) {
            return new Effect(answer, SelfService.ANSWERED, false);
        }
    }

    /** The confirmation offered with a nonce: its language, and whether it expired at the tap's time. */
    private record Offered(String language, boolean expired) {
    }

    private final Database database;
    private final DataSubjectRequests requests;
    private final SelfServiceReplies replies;
    private final Duration lifetime;
    private final Duration window;

    public ErasureConfirmation(Database database, DataSubjectRequests requests, SelfServiceReplies replies,
            ConsentConfig config) {
        this.database = database;
        this.requests = requests;
        this.replies = replies;
        this.lifetime = config.selfService().confirmationLifetime();
        this.window = config.selfService().window();
    }

    @Override
    public String name() {
        return "erase";
    }

    /** The confirmation: a new nonce for the person, and the two buttons. */
    @Override
    public Uni<JsonObject> answer(Asked asked) {
        byte[] random = new byte[18];
        RANDOM.nextBytes(random);
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return database.update("INSERT INTO self_service_confirmation "
                        + "(nonce, subject_id, language, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
                        nonce, asked.subject(), asked.language().name(), now, now.plus(lifetime))
                .map(inserted -> confirmation(nonce, asked.english()));
    }

    static JsonObject confirmation(String nonce, boolean english) {
        String body = english
                ? "Do you want us to erase all your data? Your contact details, consents and history with us will be deleted "
                        + "in every system, and you will receive no more messages from us unless you write again. This "
                        + "cannot be undone. The buttons are valid for 24 hours."
                : "Tüm verilerinizi silmemizi istiyor musunuz? İletişim bilgileriniz, izinleriniz ve bizdeki geçmişiniz tüm "
                        + "sistemlerden silinecek; yeniden yazmadıkça bizden mesaj almayacaksınız. Bu işlem geri alınamaz. "
                        + "Düğmeler 24 saat geçerlidir.";
        JsonArray buttons = new JsonArray()
                .add(button(CONFIRM + nonce, english ? "Yes, erase" : "Evet, sil"))
                .add(button(CANCEL + nonce, english ? "No, keep" : "Vazgeç"));
        return new JsonObject().put("type", "interactive").put("interactive", new JsonObject().put("type", "button")
                .put("body", new JsonObject().put("text", body)).put("action", new JsonObject().put("buttons", buttons)));
    }

    private static JsonObject button(String id, String title) {
        return new JsonObject().put("type", "reply").put("reply", new JsonObject().put("id", id).put("title", title));
    }

    /** The confirmation button a message tapped, or null. */
    static Tap tapped(WaInbound message) {
        if (!"interactive".equals(message.messageType()) || !"button_reply".equals(message.interactiveType())
                || message.replyId() == null) {
            return null;
        }
        String id = message.replyId();
        if (id.startsWith(CONFIRM) && id.length() > CONFIRM.length()) {
            return new Tap(true, id.substring(CONFIRM.length()));
        }
        if (id.startsWith(CANCEL) && id.length() > CANCEL.length()) {
            return new Tap(false, id.substring(CANCEL.length()));
        }
        return null;
    }

    /** A tap on a confirmation's button; inside the transaction that handles the message, under the erasure lock. */
    Uni<Effect> onTap(String subject, Tap tap, SelfServiceReplies.Recipient recipient, Instant at) {
        return database.list("SELECT language, expires_at < $3 AS expired FROM self_service_confirmation "
                        + "WHERE nonce = $1 AND subject_id = $2",
                        row -> new Offered(row.getString("language"), Boolean.TRUE.equals(row.getBoolean("expired"))),
                        tap.nonce(), subject, at.truncatedTo(ChronoUnit.MICROS))
                .flatMap(rows -> rows.isEmpty() ? Uni.createFrom().item(rows)
                        : database.update("DELETE FROM self_service_confirmation WHERE nonce = $1", tap.nonce())
                                .replaceWith(rows))
                .flatMap(rows -> {
                    boolean english = !rows.isEmpty() && "ENGLISH".equals(rows.get(0).language());
                    if (rows.isEmpty() || rows.get(0).expired()) {
                        // unknown, used, expired or someone else's: nothing happens but a polite answer, in both
                        // languages when the confirmation is not (or no longer) known: its keyword's language is not
                        String turkish = "Bu onay artık geçerli değil; hiçbir şey silinmedi. Verilerinizi silmek için yeniden "
                                + "VERİLERİMİ SİL yazın.";
                        String inEnglish = "This confirmation is no longer valid; nothing was erased. To erase your data, "
                                + "write DELETE MY DATA again.";
                        return Uni.createFrom().item(new Effect(SelfServiceCommand.text(rows.isEmpty() ? turkish + "\n\n" + inEnglish
                                : english ? inEnglish : turkish), "confirmation-invalid", false));
                    }
                    if (!tap.confirm()) {
                        return Uni.createFrom().item(new Effect(SelfServiceCommand.text(english
                                ? "Cancelled: nothing was erased." : "İptal edildi: hiçbir şey silinmedi."), "cancelled", false));
                    }
                    return erase(subject, recipient, at, english);
                });
    }

    private Uni<Effect> erase(String subject, SelfServiceReplies.Recipient recipient, Instant at, boolean english) {
        return requests.submit(DataSubjectRequests.ERASURE, subject, null, ACTOR, DataSubjectRequests.SOURCE_WHATSAPP)
                .flatMap(submitted -> {
                    DsrRequest request = submitted.request();
                    JsonObject done = SelfServiceCommand.text(english
                            ? "Your data has been erased from every one of our systems. This was our last message to you; "
                                    + "if you write to us again, we will know you as a new customer."
                            : "Verileriniz tüm sistemlerimizden silindi. Bu size son mesajımız; bize yeniden yazarsanız sizi "
                                    + "yeni bir müşteri olarak tanıyacağız.");
                    // a tap on a second confirmation while the erasure runs: the notice waiting for it is enough
                    Uni<Void> notice = !DsrRequest.IN_PROGRESS.equals(request.status)
                            ? replies.queue(subject, recipient, done, SelfServiceReply.ANSWER, null, at.plus(window))
                            : database.count("SELECT count(*) FROM self_service_reply WHERE request_id = $1",
                                            request.id)
                                    .flatMap(waiting -> waiting > 0 ? Uni.createFrom().voidItem() : replies.queue(subject,
                                            recipient, done, SelfServiceReply.ERASURE_DONE, request.id, at.plus(window)));
                    return notice.replaceWith(new Effect(null, submitted.created() ? "erasure-filed" : "erasure-running",
                            submitted.created()));
                });
    }

}
