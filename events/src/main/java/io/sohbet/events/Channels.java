package io.sohbet.events;

/**
 * SmallRye Reactive Messaging channel names. A service's {@code application.properties} binds each
 * channel to the topic of the same meaning; tests reuse the constants.
 */
public final class Channels {

    public static final String WA_INBOUND_OUT = "wa-inbound-out";
    public static final String WA_INBOUND_IN = "wa-inbound-in";
    public static final String WA_STATUS_OUT = "wa-status-out";
    public static final String WA_STATUS_IN = "wa-status-in";
    public static final String WA_CONTACT_OUT = "wa-contact-out";
    public static final String WA_CONTACT_IN = "wa-contact-in";
    public static final String WA_PREFERENCE_OUT = "wa-preference-out";
    public static final String WA_PREFERENCE_IN = "wa-preference-in";
    public static final String WA_ACCOUNT_OUT = "wa-account-out";
    public static final String WA_ACCOUNT_IN = "wa-account-in";
    public static final String COMMERCE_EVENT_OUT = "commerce-event-out";
    public static final String COMMERCE_EVENT_IN = "commerce-event-in";
    public static final String LINK_CLICK_OUT = "link-click-out";
    public static final String LINK_CLICK_IN = "link-click-in";
    public static final String CAMPAIGN_MESSAGE_OUT = "campaign-message-out";
    public static final String CAMPAIGN_MESSAGE_IN = "campaign-message-in";
    public static final String CONSENT_CHANGE_OUT = "consent-change-out";
    public static final String CONSENT_CHANGE_IN = "consent-change-in";
    public static final String PRIVACY_ERASURE_OUT = "privacy-erasure-out";
    public static final String PRIVACY_ERASURE_IN = "privacy-erasure-in";
    public static final String PRIVACY_ERASURE_ACK_OUT = "privacy-erasure-ack-out";
    public static final String PRIVACY_ERASURE_ACK_IN = "privacy-erasure-ack-in";
    public static final String SEGMENT_MEMBERSHIP_OUT = "segment-membership-out";
    public static final String SEGMENT_MEMBERSHIP_IN = "segment-membership-in";
    public static final String AUDIT_HEAD_OUT = "audit-head-out";
    public static final String PRIVACY_DESTRUCTION_OUT = "privacy-destruction-out";
    public static final String PRIVACY_DESTRUCTION_IN = "privacy-destruction-in";

    private Channels() {
    }
}
