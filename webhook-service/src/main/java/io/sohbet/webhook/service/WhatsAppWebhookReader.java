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
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 *
 * <p>People are resolved through {@link SubjectResolver}: ask consent-service about {@link #identifiersToLookUp} first
 * (its answer goes into the resolver), then read. Every contact (phone, BSUID, parent BSUID, username), every status
 * with both a number and a BSUID and every {@code user_changed_number} / {@code user_changed_user_id} system message
 * goes out as a {@code wa.contact}, from which consent-service links those identifiers to the person's subject.
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
        return read(root, receivedAt, Map.of());
    }

    /**
     * The drafts of a delivery; {@code linked}: consent-service's answer for its {@link #identifiersToLookUp} (keyed hash
     * → subject), empty when it was not asked or did not answer.
     */
    public List<EventDraft> read(JsonNode root, Instant receivedAt, Map<String, String> linked) {
        Map<String, String> known = new HashMap<>(linked);
        validate(root);
        List<EventDraft> drafts = new ArrayList<>();
        for (JsonNode entry : Json.array(root, "entry")) {
            String wabaId = text(entry, "id");
            for (JsonNode change : Json.array(entry, "changes")) {
                String field = text(change, "field");
                JsonNode value = change.path("value");
                if ("messages".equals(field)) {
                    readMessages(value, wabaId, receivedAt, drafts, known);
                } else if ("user_preferences".equals(field)) {
                    readPreferences(value, receivedAt, drafts, known);
                } else {
                    drafts.add(account(field == null ? "unknown" : field, wabaId, value, receivedAt));
                }
            }
        }
        return drafts;
    }

    /**
     * The keyed hashes of the identifiers this webhook names people by whose link to a subject is to be asked of
     * consent-service before {@link #read}: those of messages, contacts and preferences, and of statuses that carry a
     * BSUID or no valid number. A status with only a number is resolved by the number (and the links this replica
     * knows): statuses are most of the traffic, and asking for each new recipient would cost a call per delivery.
     * Throws {@link InvalidWebhookException} as {@link #read} does.
     */
    public Set<String> identifiersToLookUp(JsonNode root) {
        validate(root);
        Set<String> hashes = new HashSet<>();
        for (JsonNode entry : Json.array(root, "entry")) {
            for (JsonNode change : Json.array(entry, "changes")) {
                String field = text(change, "field");
                JsonNode value = change.path("value");
                if ("messages".equals(field)) {
                    for (JsonNode contact : Json.array(value, "contacts")) {
                        hashes.addAll(subjects.hashes(ofContact(contact)));
                    }
                    for (JsonNode message : Json.array(value, "messages")) {
                        hashes.addAll(subjects.hashes(sender(message, value)));
                    }
                    for (JsonNode status : Json.array(value, "statuses")) {
                        SubjectResolver.Identifiers who = recipient(status);
                        if (who.bsuid() != null || subjects.phoneHash(who.phone()) == null) {
                            hashes.addAll(subjects.hashes(who));
                        }
                    }
                } else if ("user_preferences".equals(field)) {
                    for (JsonNode p : Json.array(value, "user_preferences")) {
                        hashes.addAll(subjects.hashes(preference(p)));
                    }
                }
            }
        }
        return hashes;
    }

    private static void validate(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new InvalidWebhookException("the body is not a JSON object");
        }
        if (!OBJECT.equals(text(root, "object"))) {
            throw new InvalidWebhookException("\"object\" must be \"" + OBJECT + "\"");
        }
    }

    /** The identifiers of a {@code contacts[]} entry. */
    private static SubjectResolver.Identifiers ofContact(JsonNode contact) {
        return new SubjectResolver.Identifiers(nonEmpty(text(contact, "wa_id")), nonEmpty(text(contact, "user_id")),
                nonEmpty(text(contact, "profile", "username")), nonEmpty(text(contact, "parent_user_id")));
    }

    /**
     * The sender of a message: its {@code from} / {@code from_user_id}, with the identifiers of its contact (the one with
     * the same wa_id or BSUID; the first one when the message names nobody).
     */
    private static SubjectResolver.Identifiers sender(JsonNode message, JsonNode value) {
        String from = nonEmpty(text(message, "from"));
        String userId = nonEmpty(text(message, "from_user_id"));
        JsonNode contact = null;
        for (JsonNode c : Json.array(value, "contacts")) {
            String waId = nonEmpty(text(c, "wa_id"));
            String cUserId = nonEmpty(text(c, "user_id"));
            if (from != null && from.equals(waId) || userId != null && userId.equals(cUserId)) {
                contact = c;
                break;
            }
        }
        if (contact == null && from == null && userId == null) {
            contact = value.path("contacts").path(0);
        }
        if (contact == null) {
            return new SubjectResolver.Identifiers(from, userId, null, null);
        }
        SubjectResolver.Identifiers known = ofContact(contact);
        return new SubjectResolver.Identifiers(from != null ? from : known.phone(), userId != null ? userId : known.bsuid(),
                known.username(), known.parentBsuid());
    }

    /** The recipient of a status (a group's participant for group messages). */
    private static SubjectResolver.Identifiers recipient(JsonNode s) {
        return StatusItem.of(s).recipient();
    }

    private static SubjectResolver.Identifiers preference(JsonNode p) {
        return new SubjectResolver.Identifiers(nonEmpty(text(p, "wa_id")), nonEmpty(text(p, "user_id")), null,
                nonEmpty(text(p, "parent_user_id")));
    }

    /** WhatsApp sends {@code ""} for a hidden number: the same as none. */
    static String nonEmpty(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** Remembers that every identifier of {@code who} belongs to {@code subject} (it goes out in a wa.contact). */
    private void linkAll(SubjectResolver.Identifiers who, String subject, Map<String, String> known) {
        for (String hash : subjects.hashes(who)) {
            subjects.link(hash, subject, known);
        }
    }

    private void readMessages(JsonNode value, String wabaId, Instant receivedAt, List<EventDraft> drafts,
            Map<String, String> known) {
        String phoneNumberId = text(value, "metadata", "phone_number_id");
        String firstWamid = firstWamid(value);
        List<EventDraft> messages = new ArrayList<>();
        List<EventDraft> changes = new ArrayList<>();
        Map<String, Instant> latestBySubject = new HashMap<>();
        for (JsonNode message : Json.array(value, "messages")) {
            SubjectResolver.Resolved who = subjects.resolve(sender(message, value), known);
            String wamid = messageIds.of(text(message, "id"));
            Instant time = Json.epochSeconds(message, "timestamp", receivedAt);
            String subject = who == null ? null : who.subjectId();
            if (subject != null) {
                latestBySubject.merge(subject, time, (a, b) -> a.isAfter(b) ? a : b);
                EventDraft change = identifierChange(message, subject, wamid, phoneNumberId, time, known);
                if (change != null) {
                    changes.add(change);
                }
            }
            messages.add(new EventDraft(Topics.WA_INBOUND, "wa.inbound:" + wamid, key(subject, wabaId), subject, time,
                    subject != null, InboundMessageMapper.map(message, subject, phoneNumberId, time, messageIds)));
        }
        for (JsonNode contact : Json.array(value, "contacts")) {
            SubjectResolver.Identifiers ids = ofContact(contact);
            SubjectResolver.Resolved who = subjects.resolve(ids, known);
            if (who != null) {
                String name = text(contact, "profile", "name");
                // the profile as of the contact's latest message in this value (Meta's time, also on a retry)
                Instant seenAt = latestBySubject.getOrDefault(who.subjectId(), receivedAt);
                String subject = who.subjectId();
                linkAll(ids, subject, known);
                drafts.add(new EventDraft(Topics.WA_CONTACT, "wa.contact:" + subject + ":" + firstWamid,
                        subject, subject, seenAt, true, sealer -> new WaContact(
                                sealer.seal(subject, ids.phone()), sealer.seal(subject, name),
                                sealer.seal(subject, ids.bsuid()), phoneNumberId, seenAt,
                                sealer.seal(subject, ids.parentBsuid()), sealer.seal(subject, ids.username()), null)));
            }
        }
        drafts.addAll(messages);
        drafts.addAll(changes);
        for (JsonNode status : Json.array(value, "statuses")) {
            drafts.add(status(status, phoneNumberId, wabaId, receivedAt, drafts, known));
        }
        if (value.has("errors")) {
            drafts.add(account("messages.errors", wabaId, value.path("errors"), receivedAt));
        }
    }

    /**
     * The new identifier of a {@code system} message {@code user_changed_number} (new {@code system.wa_id}) or
     * {@code user_changed_user_id} (new {@code system.user_id}): a wa.contact that links it to the sender's subject, so
     * that the person stays one subject and their consent stays with them; {@code null} for any other message.
     */
    private EventDraft identifierChange(JsonNode message, String subject, String wamid, String phoneNumberId, Instant time,
            Map<String, String> known) {
        if (!"system".equals(text(message, "type"))) {
            return null;
        }
        JsonNode system = message.path("system");
        String type = text(system, "type");
        String newPhone = WaContact.CHANGED_NUMBER.equals(type) ? nonEmpty(text(system, "wa_id")) : null;
        if (newPhone != null && subjects.phoneHash(newPhone) == null) {
            newPhone = null; // not a number (a placeholder): nothing to link
        }
        String newUserId = WaContact.CHANGED_USER_ID.equals(type) ? nonEmpty(text(system, "user_id")) : null;
        if (newPhone == null && newUserId == null) {
            return null;
        }
        String phone = newPhone;
        linkAll(SubjectResolver.Identifiers.of(phone, newUserId), subject, known);
        return new EventDraft(Topics.WA_CONTACT, "wa.contact:" + subject + ":" + wamid + ":" + type, subject, subject, time,
                true, sealer -> new WaContact(sealer.seal(subject, phone), null, sealer.seal(subject, newUserId),
                        phoneNumberId, time, null, null, type));
    }

    private EventDraft status(JsonNode s, String phoneNumberId, String wabaId, Instant receivedAt, List<EventDraft> drafts,
            Map<String, String> known) {
        return status(StatusItem.of(s), phoneNumberId, wabaId, receivedAt, drafts, known);
    }

    private EventDraft status(StatusItem s, String phoneNumberId, String wabaId, Instant receivedAt, List<EventDraft> drafts,
            Map<String, String> known) {
        SubjectResolver.Identifiers ids = s.recipient();
        return status(s, ids, subjects.resolve(ids, known), phoneNumberId, wabaId, receivedAt, drafts, known);
    }

    private EventDraft status(StatusItem s, SubjectResolver.Identifiers ids, SubjectResolver.Resolved who,
            String phoneNumberId, String wabaId, Instant receivedAt, List<EventDraft> drafts, Map<String, String> known) {
        String subject = who == null ? null : who.subjectId();
        String wamid = messageIds.of(s.id());
        String state = s.status();
        Instant time = Json.epochSeconds(s.timestamp(), receivedAt);
        if (subject != null && ids.bsuid() != null && subjects.phoneHash(ids.phone()) != null
                && !subject.equals(subjects.linked(subjects.bsuidHash(ids.bsuid()), known))) {
            // a number and a BSUID together, not yet linked here: consent-service links them (once per replica and TTL)
            linkAll(ids, subject, known);
            drafts.add(new EventDraft(Topics.WA_CONTACT, "wa.contact:" + subject + ":" + wamid, subject, subject, time, true,
                    sealer -> new WaContact(sealer.seal(subject, ids.phone()), null, sealer.seal(subject, ids.bsuid()),
                            phoneNumberId, time)));
        }
        WaStatus payload = new WaStatus(wamid, state, time, phoneNumberId, s.recipientType(), s.conversationId(),
                s.conversationOrigin(), s.pricingCategory(), s.pricingType(), s.pricingModel(), s.billable(),
                s.bizOpaqueCallbackData(), s.errors(),
                "group".equals(s.recipientType()) ? null : RecipientCountry.of(s.recipientId(), s.recipientUserId()));
        return new EventDraft(Topics.WA_STATUS, "wa.status:" + wamid + ":" + state + ":" + time.getEpochSecond(),
                key(subject, wabaId), subject, time, false, sealer -> payload);
    }

    /**
     * The drafts of a delivery of statuses only, read in one streaming pass by {@link StatusDeliveryReader} instead of
     * from a tree: the same drafts {@link #read} gives for the same body, or {@code null} when one of its statuses names
     * its recipient by something to ask consent-service about first ({@link #identifiersToLookUp}: a BSUID, no valid
     * number, a group's participant); then the delivery goes the whole way.
     */
    public List<EventDraft> readStatuses(List<StatusDeliveryReader.Item> items, Instant receivedAt) {
        List<EventDraft> drafts = new ArrayList<>(items.size());
        Map<String, String> known = new HashMap<>();
        for (StatusDeliveryReader.Item item : items) {
            SubjectResolver.Identifiers who = item.status().recipient();
            // a valid number and no BSUID: resolved by the number (its link, else derived), nothing to ask first
            SubjectResolver.Resolved resolved = who.bsuid() != null ? null : subjects.resolve(who, known);
            if (resolved == null || resolved.kind() != SubjectResolver.Kind.LINKED && resolved.kind() != SubjectResolver.Kind.PHONE) {
                return null;
            }
            drafts.add(status(item.status(), who, resolved, item.phoneNumberId(), item.wabaId(), receivedAt, drafts, known));
        }
        return drafts;
    }

    static WaError error(JsonNode e) {
        String details = text(e.path("error_data"), "details");
        return new WaError(e.path("code").asInt(), text(e, "title"), details != null ? details : text(e, "details"),
                text(e, "href"));
    }

    private void readPreferences(JsonNode value, Instant receivedAt, List<EventDraft> drafts, Map<String, String> known) {
        String phoneNumberId = text(value, "metadata", "phone_number_id");
        for (JsonNode p : Json.array(value, "user_preferences")) {
            SubjectResolver.Resolved who = subjects.resolve(preference(p), known);
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
