package io.sohbet.campaign.client;

import java.util.Map;

/**
 * What the Cloud API's error codes mean, in our words: shown to marketers instead of Meta's titles and details, which
 * are free text Meta may change and may repeat what a request carried (a parameter, a number). Meta's error-codes
 * reference, as summarised in the project's shared docs/whatsapp-cloud-api.md §9.1.
 */
public final class CloudApiErrors {

    private static final Map<Integer, String> MEANINGS = Map.ofEntries(
            Map.entry(0, "authentication failed (access token)"),
            Map.entry(1, "Cloud API unknown or temporary error"),
            Map.entry(2, "Cloud API service temporarily unavailable"),
            Map.entry(3, "the app lacks the capability or permission"),
            Map.entry(4, "app call rate limit reached"),
            Map.entry(10, "permission denied"),
            Map.entry(190, "access token expired"),
            Map.entry(200, "permission denied"),
            Map.entry(294, "the Marketing Messages API is not available for the business"),
            Map.entry(368, "the business account is restricted for policy violations"),
            Map.entry(80007, "business account rate limit reached"),
            Map.entry(130429, "Cloud API throughput reached (rate limit hit)"),
            Map.entry(130472, "the recipient is part of a Meta marketing experiment"),
            Map.entry(130497, "the business account may not message users in this country"),
            Map.entry(131000, "Cloud API error (something went wrong)"),
            Map.entry(131016, "Cloud API service temporarily unavailable"),
            Map.entry(131026, "undeliverable: not a WhatsApp number, terms not accepted or an outdated app"),
            Map.entry(131031, "the business account is locked or restricted"),
            Map.entry(131042, "a problem with the business's payment method"),
            Map.entry(131045, "the business phone number is not registered"),
            Map.entry(131047, "outside the 24-hour customer service window: send a template"),
            Map.entry(131048, "spam rate limit: too many earlier messages blocked or reported"),
            Map.entry(131049, "withheld by Meta to keep ecosystem engagement healthy (per-user marketing limit)"),
            Map.entry(131050, "the recipient stopped marketing messages from the business on WhatsApp"),
            Map.entry(131051, "unsupported message type"),
            Map.entry(131052, "media download error"),
            Map.entry(131053, "media upload error"),
            Map.entry(131056, "too many messages to the same recipient (pair rate limit)"),
            Map.entry(131057, "the business account is in maintenance"),
            Map.entry(131062, "an authentication template cannot go to a business-scoped user id"),
            Map.entry(131063, "marketing templates are disabled on the Cloud API for this business account"),
            Map.entry(131064, "messaging limited after template category violations"),
            Map.entry(132000, "the message's parameters do not match the template's"),
            Map.entry(132001, "the template does not exist in that language or is not approved"),
            Map.entry(132005, "the translated text is too long"),
            Map.entry(132007, "the template's content violates policy"),
            Map.entry(132012, "a parameter's format does not match the template"),
            Map.entry(132015, "the template is paused (low quality)"),
            Map.entry(132016, "the template is disabled"),
            Map.entry(132068, "the flow is blocked"),
            Map.entry(132069, "the flow is throttled"),
            Map.entry(133004, "Cloud API server temporarily unavailable"),
            Map.entry(133010, "the business phone number is not registered"));

    private CloudApiErrors() {
    }

    /** The code's meaning; an unknown code as {@code Cloud API error <code>}. */
    public static String meaning(int code) {
        String known = MEANINGS.get(code);
        return known != null ? known : "Cloud API error " + code + " (see Meta's error codes)";
    }
}
