package io.sohbet.segment.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sohbet.segment.config.SegmentConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/** The built-in segments of domain.md §3, written in the rule language with the configured thresholds. */
public final class BuiltInSegments {

    /** A segment definition: id, name, description and rule. */
    public record Definition(String id, String name, String description, JsonNode rule, boolean builtIn) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private BuiltInSegments() {
    }

    public static Map<String, Definition> of(SegmentConfig.Thresholds t) {
        Map<String, Definition> out = new LinkedHashMap<>();
        add(out, "active", "Active", "at least " + t.activeInteractions7d() + " interactions in the last 7 days",
                cond("interactions7d", ">=", t.activeInteractions7d()));
        add(out, "regular", "Regular", t.regularMin30d() + "–" + t.regularMax30d() + " interactions in the last 30 days",
                "{\"attr\":\"interactions30d\",\"op\":\"between\",\"value\":[" + t.regularMin30d() + "," + t.regularMax30d() + "]}");
        add(out, "passive", "Passive", "fewer than " + t.passiveBelow90d() + " interactions in the last 90 days",
                cond("interactions90d", "<", t.passiveBelow90d()));
        for (String[] c : new String[][] {{"visual", "Visual", "visual"}, {"text", "Text", "text"}, {"quick-info", "Quick info", "quick"}}) {
            add(out, c[0], c[1], "engages most with " + c[2] + " content (at least " + t.contentMinEngagements()
                    + " engagements in 90 days)", "{\"all\":[{\"attr\":\"contentPreference\",\"op\":\"=\",\"value\":\"" + c[2]
                    + "\"}," + cond("engagements90d", ">=", t.contentMinEngagements()) + "]}");
        }
        add(out, "vip", "VIP", "at least " + t.vipOrders30d() + " orders in the last 30 days with an average basket over "
                + t.vipAverageBasket() + " TRY", "{\"all\":[" + cond("orders30d", ">=", t.vipOrders30d()) + ","
                + "{\"attr\":\"averageBasket30d\",\"op\":\">\",\"value\":" + t.vipAverageBasket() + "}]}");
        add(out, "new", "New", "first seen in the last " + t.newDays() + " days",
                "{\"attr\":\"firstSeenAt\",\"op\":\"within\",\"value\":\"" + t.newDays() + "d\"}");
        add(out, "loyal", "Loyal", "repeat purchaser (" + t.loyalOrders() + "+ orders), active in the last 30 days",
                "{\"all\":[" + cond("ordersTotal", ">=", t.loyalOrders()) + ",{\"attr\":\"lastActivityAt\",\"op\":\"within\",\"value\":\"30d\"}]}");
        add(out, "at-risk", "At risk", "was active (3+ interactions), nothing for " + t.atRiskDays() + " days",
                "{\"all\":[" + cond("interactionsTotal", ">=", 3) + ",{\"attr\":\"lastActivityAt\",\"op\":\"notWithin\",\"value\":\""
                        + t.atRiskDays() + "d\"}]}");
        add(out, "rfm-champions", "RFM champions", "recency, frequency and monetary quintiles all 4 or 5",
                "{\"all\":[" + cond("rfmRecency", ">=", 4) + "," + cond("rfmFrequency", ">=", 4) + "," + cond("rfmMonetary", ">=", 4) + "]}");
        add(out, "rfm-hibernating", "RFM hibernating", "recency and frequency quintiles 1 or 2",
                "{\"all\":[" + cond("rfmRecency", "<=", 2) + "," + cond("rfmFrequency", "<=", 2) + "]}");
        return out;
    }

    private static String cond(String attr, String op, Object value) {
        return "{\"attr\":\"" + attr + "\",\"op\":\"" + op + "\",\"value\":" + value + "}";
    }

    private static void add(Map<String, Definition> out, String id, String name, String description, String rule) {
        try {
            out.put(id, new Definition(id, name, description, JSON.readTree(rule), true));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
