package io.sohbet.campaign.service;

import io.sohbet.campaign.client.ContactApi.Contact;
import io.sohbet.campaign.domain.CampaignDefinition.Header;
import io.sohbet.campaign.domain.CampaignDefinition.Message;
import io.sohbet.campaign.domain.CampaignDefinition.QuickReply;
import io.sohbet.campaign.domain.CampaignDefinition.Template;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the Cloud API request body of one recipient's message: personalisation ({@code {{firstName}}},
 * {@code {{name}}}, with {@code |fallback}), the tracked link (URL button suffix or {@code {{link}}}) and
 * {@code biz_opaque_callback_data} = our row, which Meta echoes in status webhooks so that a send whose answer was lost
 * can still be matched. Built in memory for the request and dropped: the phone number and names are never stored.
 */
public final class Messages {

    static final String CALLBACK_PREFIX = "sohbet:";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*(firstName|name|link)\\s*(?:\\|([^}]*))?}}");

    private Messages() {
    }

    /** The message type metrics-service reports by: {@code template}, {@code text}, {@code image} … */
    public static String type(Message m) {
        return m.type();
    }

    /**
     * The recipient's business-scoped user id goes in {@code recipient} when consent-service addresses them by it (no
     * phone number known, or their number withheld now: {@link Contact#recipientBsuid()}), else their phone number goes
     * in {@code to} (never a BSUID in {@code to}: Meta silently drops such a message).
     *
     * @param linkToken the recipient's tracked-link token (null without a tracked link)
     */
    public static JsonObject body(long rowId, Message m, Contact contact, String linkToken, String linkBase) {
        String link = linkToken == null ? null : linkBase == null ? linkToken : linkBase.replaceAll("/$", "") + "/l/" + linkToken;
        JsonObject body = new JsonObject().put("messaging_product", "whatsapp").put("recipient_type", "individual");
        String bsuid = contact.recipientBsuid();
        if (bsuid == null) {
            body.put("to", contact.phone());
        } else {
            body.put("recipient", bsuid);
        }
        body.put("type", m.type()).put("biz_opaque_callback_data", CALLBACK_PREFIX + rowId);
        switch (m.type()) {
            case "template" -> body.put("template", template(m.template(), m, contact, link, linkToken));
            case "text" -> body.put("text", new JsonObject().put("body", fill(m.text(), contact, link)).put("preview_url", link != null));
            case "interactive" -> body.put("interactive", fill(new JsonObject(m.interactive().toString()), contact, link));
            default -> {
                JsonObject media = new JsonObject().put("link", m.media().link());
                if (m.media().caption() != null && !m.type().equals("audio")) {
                    media.put("caption", fill(m.media().caption(), contact, link));
                }
                if (m.media().filename() != null && m.type().equals("document")) {
                    media.put("filename", m.media().filename());
                }
                body.put(m.type(), media);
            }
        }
        return body;
    }

    private static JsonObject template(Template t, Message m, Contact contact, String link, String token) {
        JsonArray components = new JsonArray();
        Header h = t.header();
        if (h != null) {
            JsonObject parameter = h.type().equals("text")
                    ? new JsonObject().put("type", "text").put("text", fill(h.text(), contact, link))
                    : new JsonObject().put("type", h.type()).put(h.type(), new JsonObject().put("link", h.link()));
            components.add(new JsonObject().put("type", "header").put("parameters", new JsonArray().add(parameter)));
        }
        if (t.body() != null && !t.body().isEmpty()) {
            JsonArray parameters = new JsonArray();
            t.body().forEach(text -> parameters.add(new JsonObject().put("type", "text").put("text", fill(text, contact, link))));
            components.add(new JsonObject().put("type", "body").put("parameters", parameters));
        }
        if (m.trackedLink() != null && token != null) {
            components.add(new JsonObject().put("type", "button").put("sub_type", "url")
                    .put("index", String.valueOf(m.trackedLink().buttonIndex()))
                    .put("parameters", new JsonArray().add(new JsonObject().put("type", "text").put("text", token))));
        }
        if (t.quickReplies() != null) {
            for (QuickReply q : t.quickReplies()) {
                components.add(new JsonObject().put("type", "button").put("sub_type", "quick_reply").put("index", String.valueOf(q.index()))
                        .put("parameters", new JsonArray().add(new JsonObject().put("type", "payload").put("payload", q.payload()))));
            }
        }
        JsonObject template = new JsonObject().put("name", t.name()).put("language", new JsonObject().put("code", t.language()));
        if (!components.isEmpty()) {
            template.put("components", components);
        }
        return template;
    }

    /** Replaces the placeholders in every string of a JSON object (interactive messages). */
    private static JsonObject fill(JsonObject object, Contact contact, String link) {
        for (String key : object.fieldNames()) {
            Object value = object.getValue(key);
            if (value instanceof String s) {
                object.put(key, fill(s, contact, link));
            } else if (value instanceof JsonObject o) {
                fill(o, contact, link);
            } else if (value instanceof JsonArray a) {
                for (int i = 0; i < a.size(); i++) {
                    Object item = a.getValue(i);
                    if (item instanceof JsonObject o) {
                        fill(o, contact, link);
                    } else if (item instanceof String s) {
                        a.set(i, fill(s, contact, link));
                    }
                }
            }
        }
        return object;
    }

    static String fill(String text, Contact contact, String link) {
        if (text == null || text.indexOf("{{") < 0) {
            return text;
        }
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = switch (m.group(1)) {
                case "firstName" -> contact.firstName();
                case "name" -> contact.name();
                default -> link;
            };
            if (value == null || value.isBlank()) {
                value = m.group(2) == null ? "" : m.group(2).trim();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Our send-queue row from a status's callback data, or null. */
    public static Long rowOf(String callbackData) {
        if (callbackData == null || !callbackData.startsWith(CALLBACK_PREFIX)) {
            return null;
        }
        try {
            return Long.parseLong(callbackData.substring(CALLBACK_PREFIX.length()));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
