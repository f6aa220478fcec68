package io.sohbet.events;

import java.util.ArrayList;
import java.util.List;

import static io.sohbet.events.Topics.AUDIT_HEAD;
import static io.sohbet.events.Topics.CAMPAIGN_MESSAGE;
import static io.sohbet.events.Topics.COMMERCE_EVENT;
import static io.sohbet.events.Topics.CONSENT_CHANGE;
import static io.sohbet.events.Topics.LINK_CLICK;
import static io.sohbet.events.Topics.PRIVACY_DESTRUCTION;
import static io.sohbet.events.Topics.PRIVACY_ERASURE;
import static io.sohbet.events.Topics.PRIVACY_ERASURE_ACK;
import static io.sohbet.events.Topics.SEGMENT_MEMBERSHIP;
import static io.sohbet.events.Topics.WA_ACCOUNT;
import static io.sohbet.events.Topics.WA_CONTACT;
import static io.sohbet.events.Topics.WA_INBOUND;
import static io.sohbet.events.Topics.WA_PREFERENCE;
import static io.sohbet.events.Topics.WA_STATUS;

/**
 * What each service may do on Kafka, and so the ACLs of its Kafka user (least privilege): read the topics it consumes
 * with its own consumer group (named after the service) and write their dead-letter topics, write the topics it
 * produces, read without a group the topics it {@code reads}. Nothing else: no service may write what it only
 * consumes, so only consent-service writes {@code privacy.erasure} and {@code consent.change}, only the erasure
 * participants write {@code privacy.erasure-ack}, only the services whose retention jobs destroy subject data (webhook-,
 * metrics-, segment- and campaign-service) write
 * {@code privacy.destruction} (read by consent-service only, which also reads its dead-letter topic without a group to
 * record what its consumer could not: {@code POST /api/destruction-records/dead-letters/replay}), only webhook-service writes the {@code wa.*}, {@code commerce.event}
 * and {@code link.click} topics. The chart's catalog ({@code k8s/templates/_helpers.tpl}, "sohbet.catalog") holds the
 * same lists for the Strimzi KafkaUsers (ChartTest keeps them in step); devstack's secured broker grants these.
 */
public record TopicAccess(String service, List<String> consumes, List<String> produces, List<String> reads) {

    public static final TopicAccess WEBHOOK = new TopicAccess("webhook-service", List.of(PRIVACY_ERASURE),
            List.of(WA_INBOUND, WA_STATUS, WA_CONTACT, WA_PREFERENCE, WA_ACCOUNT, COMMERCE_EVENT, LINK_CLICK, PRIVACY_ERASURE_ACK,
                    PRIVACY_DESTRUCTION),
            List.of());
    public static final TopicAccess CONSENT = new TopicAccess("consent-service",
            List.of(WA_INBOUND, WA_PREFERENCE, WA_CONTACT, COMMERCE_EVENT, PRIVACY_ERASURE_ACK, PRIVACY_DESTRUCTION),
            List.of(CONSENT_CHANGE, PRIVACY_ERASURE, AUDIT_HEAD), List.of(AUDIT_HEAD, Topics.deadLetter(PRIVACY_DESTRUCTION)));
    public static final TopicAccess METRICS = new TopicAccess("metrics-service",
            List.of(WA_STATUS, WA_INBOUND, WA_ACCOUNT, CAMPAIGN_MESSAGE, LINK_CLICK, COMMERCE_EVENT, CONSENT_CHANGE, SEGMENT_MEMBERSHIP,
                    PRIVACY_ERASURE),
            List.of(PRIVACY_ERASURE_ACK, PRIVACY_DESTRUCTION), List.of());
    public static final TopicAccess SEGMENT = new TopicAccess("segment-service",
            List.of(WA_INBOUND, WA_STATUS, LINK_CLICK, COMMERCE_EVENT, CAMPAIGN_MESSAGE, CONSENT_CHANGE, PRIVACY_ERASURE),
            List.of(SEGMENT_MEMBERSHIP, PRIVACY_ERASURE_ACK, PRIVACY_DESTRUCTION), List.of());
    public static final TopicAccess CAMPAIGN = new TopicAccess("campaign-service",
            List.of(WA_STATUS, WA_INBOUND, WA_ACCOUNT, PRIVACY_ERASURE),
            List.of(CAMPAIGN_MESSAGE, PRIVACY_ERASURE_ACK, PRIVACY_DESTRUCTION), List.of());

    public static final List<TopicAccess> ALL = List.of(WEBHOOK, CONSENT, METRICS, SEGMENT, CAMPAIGN);

    /** One Kafka ACL: allow {@code operation} on the resource of {@code type} ("topic", "group") named {@code name}. */
    public record Acl(String type, String name, String operation) {
    }

    /** The ACLs of this service's Kafka user (literal names), the same as the chart's KafkaUser grants. */
    public List<Acl> acls() {
        List<Acl> acls = new ArrayList<>();
        acls.add(new Acl("group", service, "Read"));
        for (String topic : consumes) {
            acls.add(new Acl("topic", topic, "Read"));
            acls.add(new Acl("topic", topic, "Describe"));
            acls.add(new Acl("topic", Topics.deadLetter(topic), "Write"));
            acls.add(new Acl("topic", Topics.deadLetter(topic), "Describe"));
        }
        for (String topic : produces) {
            acls.add(new Acl("topic", topic, "Write"));
            acls.add(new Acl("topic", topic, "Describe"));
        }
        for (String topic : reads) {
            acls.add(new Acl("topic", topic, "Read"));
            acls.add(new Acl("topic", topic, "Describe"));
        }
        return List.copyOf(acls);
    }

    /** The service that may write {@code topic}: every one whose {@link #produces} names it. */
    public static List<String> writers(String topic) {
        return ALL.stream().filter(a -> a.produces.contains(topic)).map(TopicAccess::service).toList();
    }
}
