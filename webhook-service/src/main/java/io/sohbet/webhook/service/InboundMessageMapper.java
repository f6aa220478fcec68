package io.sohbet.webhook.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.sohbet.events.MessageIds;
import io.sohbet.events.payload.WaInbound;

import java.time.Instant;
import java.util.Set;
import java.util.function.Function;

import static io.sohbet.webhook.service.Json.text;

/**
 * Maps one element of {@code messages[]} to a {@link WaInbound}. Everything the customer wrote or shared (text,
 * captions, locations, shared contacts, flow answers, order notes, system notices that contain numbers) is sealed
 * with the subject's key; media are kept as id and MIME type only. Message ids (the message's own, the reply
 * context's, a reaction's target, an edit's or a revoke's original) are replaced by their keyed hashes.
 */
final class InboundMessageMapper {

    static final Set<String> KNOWN = Set.of("text", "image", "video", "audio", "document", "sticker", "location",
            "contacts", "interactive", "button", "reaction", "order", "system", "request_welcome", "revoke", "edit",
            "unsupported");
    private static final Set<String> MEDIA = Set.of("image", "video", "audio", "document", "sticker");

    private InboundMessageMapper() {
    }

    static Function<Sealer, Object> map(JsonNode message, String subject, String phoneNumberId, Instant time,
            MessageIds ids) {
        return sealer -> build(message, subject, phoneNumberId, time, sealer, ids);
    }

    private static WaInbound build(JsonNode m, String subject, String phoneNumberId, Instant time, Sealer sealer,
            MessageIds ids) {
        String rawType = text(m, "type");
        if (rawType == null) {
            rawType = guessType(m);
        }
        JsonNode body = m;
        String originalWamid = null;
        if ("edit".equals(rawType) && m.path("edit").has("message")) {
            originalWamid = text(m, "edit", "original_message_id");
            body = m.path("edit").path("message");
        } else if ("revoke".equals(rawType)) {
            originalWamid = text(m, "revoke", "original_message_id");
        }
        String innerType = body == m ? rawType : text(body, "type");
        Content content = content(body, innerType == null ? "" : innerType);
        JsonNode context = m.path("context");
        JsonNode referral = m.path("referral");
        String messageType = KNOWN.contains(rawType) ? rawType : "unsupported";
        return new WaInbound(ids.of(text(m, "id")), phoneNumberId, time, messageType, rawType, content.interactiveType,
                sealer.seal(subject, content.text), content.text == null ? null : content.text.codePointCount(0, content.text.length()),
                content.mediaId, content.mimeType, content.replyId, content.replyTitle, content.emoji,
                ids.of(content.reactionTo), ids.of(originalWamid != null ? originalWamid : contextId(context)),
                context.path("forwarded").asBoolean(false) || context.path("frequently_forwarded").asBoolean(false),
                text(referral, "source_type"), text(referral, "source_id"), content.orderItems, content.systemType,
                Json.map(m, "errors", e -> e.path("code").asInt()));
    }

    /** The business message a reply answers: {@code context.id}, or {@code message_id} as some senders spell it. */
    private static String contextId(JsonNode context) {
        String id = text(context, "id");
        return id != null ? id : text(context, "message_id");
    }

    /** What a message carries, by type. */
    private static final class Content {
        String text;
        String interactiveType;
        String mediaId;
        String mimeType;
        String replyId;
        String replyTitle;
        String emoji;
        String reactionTo;
        Integer orderItems;
        String systemType;
    }

    private static Content content(JsonNode m, String type) {
        Content c = new Content();
        JsonNode part = m.path(type);
        if (MEDIA.contains(type)) {
            c.mediaId = text(part, "id");
            c.mimeType = text(part, "mime_type");
            c.text = text(part, "caption");
            return c;
        }
        switch (type) {
            case "text" -> c.text = text(part, "body");
            case "location", "contacts" -> c.text = part.isMissingNode() ? null : part.toString();
            case "interactive" -> {
                c.interactiveType = text(part, "type");
                JsonNode reply = c.interactiveType == null ? part : part.path(c.interactiveType);
                c.replyId = text(reply, "id");
                c.replyTitle = text(reply, "title");
                if ("nfm_reply".equals(c.interactiveType)) {
                    c.replyTitle = text(reply, "name");
                    c.text = text(reply, "response_json"); // what the customer entered in the flow
                }
            }
            case "button" -> {
                c.replyId = text(part, "payload");
                c.replyTitle = text(part, "text");
            }
            case "reaction" -> {
                c.emoji = text(part, "emoji"); // null: the customer removed a reaction
                c.reactionTo = text(part, "message_id");
            }
            case "order" -> {
                c.orderItems = Json.size(part, "product_items");
                c.text = text(part, "text");
            }
            case "system" -> {
                c.systemType = text(part, "type");
                c.text = text(part, "body");
            }
            default -> {
                // request_welcome, revoke, unsupported and unknown types carry nothing more
            }
        }
        return c;
    }

    /** Some hand-written payloads omit {@code type}; infer it from the one known part present. */
    private static String guessType(JsonNode m) {
        for (String type : KNOWN) {
            if (m.has(type)) {
                return type;
            }
        }
        return "unknown";
    }
}
