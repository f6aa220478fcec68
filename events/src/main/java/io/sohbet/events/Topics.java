package io.sohbet.events;

import java.util.List;

/**
 * Every Kafka topic of the suite, with the partition count the services expect. All topics are keyed by
 * subject id, so the events of one person stay in order on one partition. Each topic has a dead-letter
 * topic {@code <topic>.dlq} for records a consumer cannot process.
 */
public final class Topics {

    public static final String WA_INBOUND = "wa.inbound";
    public static final String WA_STATUS = "wa.status";
    public static final String WA_CONTACT = "wa.contact";
    public static final String WA_PREFERENCE = "wa.preference";
    public static final String WA_ACCOUNT = "wa.account";
    public static final String COMMERCE_EVENT = "commerce.event";
    public static final String LINK_CLICK = "link.click";
    public static final String CAMPAIGN_MESSAGE = "campaign.message";
    public static final String CONSENT_CHANGE = "consent.change";
    public static final String PRIVACY_ERASURE = "privacy.erasure";
    public static final String PRIVACY_ERASURE_ACK = "privacy.erasure-ack";
    public static final String SEGMENT_MEMBERSHIP = "segment.membership";
    /**
     * A service's retention run that deleted or anonymised subject data (KVKK destruction regulation art. 7 and 11),
     * keyed by service name: consent-service writes it to the destruction records. Counts only, no subject ids.
     */
    public static final String PRIVACY_DESTRUCTION = "privacy.destruction";
    /**
     * consent-service's audit chain head (sequence number and HMAC of its newest entry), keyed by service name:
     * published outside the database so that a rewritten or truncated chain is detectable. Compacted, not deleted by age.
     */
    public static final String AUDIT_HEAD = "audit.head";

    /** Partitions of a subject-keyed topic; the unit of consumer parallelism. */
    public static final int PARTITIONS = 6;
    /** Partitions of a dead-letter topic. */
    public static final int DLQ_PARTITIONS = 1;

    public static final List<String> ALL = List.of(WA_INBOUND, WA_STATUS, WA_CONTACT, WA_PREFERENCE, WA_ACCOUNT,
            COMMERCE_EVENT, LINK_CLICK, CAMPAIGN_MESSAGE, CONSENT_CHANGE, PRIVACY_ERASURE, PRIVACY_ERASURE_ACK,
            SEGMENT_MEMBERSHIP, AUDIT_HEAD, PRIVACY_DESTRUCTION);

    /** Topics that keep the newest record of each key for good (log compaction) instead of deleting records by age. */
    public static final List<String> COMPACTED = List.of(AUDIT_HEAD);

    private Topics() {
    }

    public static String deadLetter(String topic) {
        return topic + ".dlq";
    }

    /** The CloudEvents {@code type} of the events on a topic, e.g. {@code sohbet.wa.status.v1}. */
    public static String eventType(String topic) {
        return "sohbet." + topic + ".v1";
    }
}
