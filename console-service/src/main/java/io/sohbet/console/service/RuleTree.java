package io.sohbet.console.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.qute.TemplateData;

import java.util.ArrayList;
import java.util.List;

/**
 * A rule's parsed tree for the page, one line per node in document order with its depth (an ARIA tree's
 * {@code aria-level}): {@code all}, {@code any}, {@code not}, {@code inSegment} and conditions
 * ({@code orders30d >= 3}). It only shows what the text says; segment-service decides whether it is valid.
 */
@TemplateData
public record RuleTree(List<Node> nodes) {

    /** One node: its depth (1 = the root), its JSON pointer, its kind and what it says. */
    @TemplateData
    public record Node(int level, String pointer, String kind, String label) {
    }

    public static RuleTree of(JsonNode rule) {
        List<Node> nodes = new ArrayList<>();
        if (rule != null) {
            walk(rule, "", 1, nodes);
        }
        return new RuleTree(List.copyOf(nodes));
    }

    private static void walk(JsonNode n, String at, int level, List<Node> out) {
        if (level > 25 || out.size() > 600) {
            return;
        }
        if (n.isObject() && (n.has("all") || n.has("any"))) {
            String key = n.has("all") ? "all" : "any";
            out.add(new Node(level, at, key, key));
            JsonNode list = n.get(key);
            if (list.isArray()) {
                for (int i = 0; i < list.size(); i++) {
                    walk(list.get(i), at + "/" + key + "/" + i, level + 1, out);
                }
            }
        } else if (n.isObject() && n.has("not")) {
            out.add(new Node(level, at, "not", "not"));
            walk(n.get("not"), at + "/not", level + 1, out);
        } else if (n.isObject() && n.has("inSegment")) {
            out.add(new Node(level, at, "segment", "inSegment " + n.get("inSegment").asText()));
        } else if (n.isObject() && n.has("attr")) {
            JsonNode value = n.get("value");
            out.add(new Node(level, at, "condition", (n.path("attr").asText() + " " + n.path("op").asText()
                    + (value == null ? "" : " " + value)).trim()));
        } else {
            out.add(new Node(level, at, "unknown", n.toString()));
        }
    }
}
