package io.sohbet.webhook.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.sohbet.events.MessageIds;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.WaAccount;
import io.sohbet.events.payload.WaContact;
import io.sohbet.events.payload.WaError;
import io.sohbet.events.payload.WaPreference;
import io.sohbet.events.payload.WaStatus;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.ObjIntConsumer;

import static io.sohbet.webhook.service.Json.text;

/**
 * Reads a WhatsApp Business Account notification: every {@code entry[]}, every {@code changes[]}, every item, into
 * event drafts. Unknown fields and types are accepted, never rejected; account-level fields ({@code wa.account}) go
 * out with only the facts {@link AccountAllowList} knows to be non-personal. Event ids are deterministic per item, so
 * Meta's retries and duplicates can be dropped by every consumer.
 *
 * <p>No message id goes on in clear: a wamid is base64 around the customer's number, so every message id (of
 * messages, statuses, reply contexts, reactions, edits and revokes) is replaced by its keyed hash
 * ({@link MessageIds}) here, in the payloads and in the event ids built from it.
 *
 * <p>Each draft's time is when it happened by the payload, never when it was received, so that a retry of an old
 * webhook keeps its old time: a message's, status's and preference's own {@code timestamp}, a contact's latest message
 * in the same value (its receipt when there is none); only account events, which are about no person, carry the
 * receipt time.
 */
public final class WhatsAppWebhookReader {

    public static final String OBJECT = "whatsapp_business_account";

    private final SubjectResolver subjects;
    private final ObjIntConsumer<String> dropped;
    private final MessageIds messageIds;

    public WhatsAppWebhookReader(SubjectResolver subjects, MessageIds messageIds) {
        this(subjects, messageIds, (field, values) -> { });
    }

    /**
     * @param dropped told, per account event, its field and how many values {@link AccountAllowList} dropped from it
     *                (only when some were)
     */
    public WhatsAppWebhookReader(SubjectResolver subjects, MessageIds messageIds, ObjIntConsumer<String> dropped) {
        this.subjects = subjects;
        this.messageIds = messageIds;
        this.dropped = dropped;
    }

    public List<EventDraft> read(JsonNode root, Instant receivedAt) {
        if (root == null || !root.isObject()) {
            throw new InvalidWebhookException("the body is not a JSON object");
        }
        String object = text(root, "object");
        if (!OBJECT.equals(object)) {
            throw new InvalidWebhookException("\"object\" must be \"" + OBJECT + "\"");
        }
        List<EventDraft> drafts = new ArrayList<>();
        for (JsonNode entry : Json.array(root, "entry")) {
            String wabaId = text(entry, "id");
            for (JsonNode change : Json.array(entry, "changes")) {
                String field = text(change, "field");
                JsonNode value = change.path("value");
                if ("messages".equals(field)) {
                    readMessages(value, wabaId, receivedAt, drafts);
                } else if ("user_preferences".equals(field)) {
                    readPreferences(value, receivedAt, drafts);
                } else {
                    drafts.add(account(field == null ? "unknown" : field, wabaId, value, receivedAt));
                }
            }
        }
        return drafts;
    }

    private void readMessages(JsonNode value, String wabaId, Instant receivedAt, List<EventDraft> drafts) {
        String phoneNumberId = text(value, "metadata", "phone_number_id");
        JsonNode firstContact = value.path("contacts").path(0);
        String firstWamid = firstWamid(value);
        List<EventDraft> messages = new ArrayList<>();
        Map<String, Instant> latestBySubject = new HashMap<>();
        for (JsonNode message : Json.array(value, "messages")) {
            String from = text(message, "from");
            String userId = text(message, "from_user_id");
            if (from == null && userId == null) {
                from = text(firstContact, "wa_id");
                userId = text(firstContact, "user_id");
            } else if (userId == null && from != null && from.equals(text(firstContact, "wa_id"))) {
                userId = text(firstContact, "user_id");
            }
            SubjectResolver.Resolved who = subjects.resolve(from, userId);
            String wamid = messageIds.of(text(message, "id"));
            Instant time = Json.epochSeconds(message, "timestamp", receivedAt);
            String subject = who == null ? null : who.subjectId();
            if (subject != null) {
                latestBySubject.merge(subject, time, (a, b) -> a.isAfter(b) ? a : b);
            }
            messages.add(new EventDraft(Topics.WA_INBOUND, "wa.inbound:" + wamid, key(subject, wabaId), subject, time,
                    subject != null, InboundMessageMapper.map(message, subject, phoneNumberId, time, messageIds)));
        }
        for (JsonNode contact : Json.array(value, "contacts")) {
            SubjectResolver.Resolved who = subjects.resolve(text(contact, "wa_id"), text(contact, "user_id"));
            if (who != null) {
                String waId = text(contact, "wa_id");
                String name = text(contact, "profile", "name");
                String bsuid = text(contact, "user_id");
                // the profile as of the contact's latest message in this value (Meta's time, also on a retry)
                Instant seenAt = latestBySubject.getOrDefault(who.subjectId(), receivedAt);
                drafts.add(new EventDraft(Topics.WA_CONTACT, "wa.contact:" + who.subjectId() + ":" + firstWamid,
                        who.subjectId(), who.subjectId(), seenAt, true, sealer -> new WaContact(
                                sealer.seal(who.subjectId(), waId), sealer.seal(who.subjectId(), name),
                                sealer.seal(who.subjectId(), bsuid), phoneNumberId, seenAt)));
            }
        }
        drafts.addAll(messages);
        for (JsonNode status : Json.array(value, "statuses")) {
            drafts.add(status(status, phoneNumberId, wabaId, receivedAt));
        }
        if (value.has("errors")) {
            drafts.add(account("messages.errors", wabaId, value.path("errors"), receivedAt));
        }
    }

    private EventDraft status(JsonNode s, String phoneNumberId, String wabaId, Instant receivedAt) {
        boolean group = "group".equals(text(s, "recipient_type"));
        SubjectResolver.Resolved who = group
                ? subjects.resolve(text(s, "recipient_participant_id"), text(s, "recipient_participant_user_id"))
                : subjects.resolve(text(s, "recipient_id"), text(s, "recipient_user_id"));
        String subject = who == null ? null : who.subjectId();
        String wamid = messageIds.of(text(s, "id"));
        String state = text(s, "status");
        Instant time = Json.epochSeconds(s, "timestamp", receivedAt);
        JsonNode conversation = s.path("conversation");
        JsonNode pricing = s.path("pricing");
        WaStatus payload = new WaStatus(wamid, state, time, phoneNumberId, text(s, "recipient_type"),
                text(conversation, "id"), text(conversation.path("origin"), "type"), text(pricing, "category"),
                text(pricing, "type"), text(pricing, "pricing_model"),
                pricing.has("billable") ? pricing.path("billable").asBoolean() : null,
                text(s, "biz_opaque_callback_data"), Json.map(s, "errors", WhatsAppWebhookReader::error),
                group ? null : RecipientCountry.of(text(s, "recipient_id"), text(s, "recipient_user_id")));
        return new EventDraft(Topics.WA_STATUS, "wa.status:" + wamid + ":" + state + ":" + time.getEpochSecond(),
                key(subject, wabaId), subject, time, false, sealer -> payload);
    }

    static WaError error(JsonNode e) {
        String details = text(e.path("error_data"), "details");
        return new WaError(e.path("code").asInt(), text(e, "title"), details != null ? details : text(e, "details"),
                text(e, "href"));
    }

    private void readPreferences(JsonNode value, Instant receivedAt, List<EventDraft> drafts) {
        String phoneNumberId = text(value, "metadata", "phone_number_id");
        for (JsonNode p : Json.array(value, "user_preferences")) {
            SubjectResolver.Resolved who = subjects.resolve(text(p, "wa_id"), text(p, "user_id"));
            if (who == null) {
                continue;
            }
            Instant time = Json.epochSeconds(p, "timestamp", receivedAt);
            WaPreference payload = new WaPreference(text(p, "category"), text(p, "value"), text(p, "detail"), time,
                    phoneNumberId);
            drafts.add(new EventDraft(Topics.WA_PREFERENCE, "wa.preference:" + who.subjectId() + ":" + payload.category()
                    + ":" + payload.value() + ":" + time.getEpochSecond(), who.subjectId(), who.subjectId(), time, false,
                    sealer -> payload));
        }
    }

    /**
     * An account event: only the field's allow-listed facts go out, the rest is dropped and counted. Its id is a keyed
     * hash of the value as received (which may hold customers' data), never a plain one.
     */
    private EventDraft account(String field, String wabaId, JsonNode value, Instant receivedAt) {
        String id = "wa.account:" + field + ":" + messageIds.of(value.toString());
        AccountAllowList.Filtered facts = AccountAllowList.filter(field, value);
        if (facts.dropped() > 0) {
            dropped.accept(field, facts.dropped());
        }
        return new EventDraft(Topics.WA_ACCOUNT, id, "account:" + wabaId, null, receivedAt, false,
                sealer -> new WaAccount(field, wabaId, receivedAt, facts.value()));
    }

    private static String key(String subject, String wabaId) {
        return subject != null ? subject : "account:" + wabaId;
    }

    /** The hashed id of the first message or status, or a hash of the whole value when there is none. */
    private String firstWamid(JsonNode value) {
        for (String list : List.of("messages", "statuses")) {
            Iterator<JsonNode> items = Json.array(value, list).iterator();
            if (items.hasNext()) {
                String id = text(items.next(), "id");
                if (id != null) {
                    return messageIds.of(id);
                }
            }
        }
        return messageIds.of(sha256(value.toString()).substring(0, 16));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
