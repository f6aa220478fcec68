package io.sohbet.console.service;

import io.quarkus.qute.TemplateData;
import jakarta.ws.rs.core.MultivaluedMap;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The campaign form as typed (one value per field, the segments as lists) and what is wrong, per field group:
 * {@code name}, {@code segments}, {@code excludeSegments}, {@code holdoutPercent}, {@code variantA}, {@code variantB},
 * {@code abTest}, {@code schedule}, {@code quietHours}, {@code cap}, {@code delivery} (CSAT survey, send path). campaign-service's JSON pointers are mapped onto
 * those groups ({@link #group}), so its problems show beside their fields.
 */
@TemplateData
public record CampaignForm(Map<String, String> values, List<String> segments, List<String> excludeSegments, String detail,
        Map<String, String> errors) {

    public static final List<String> FIELDS = List.of("name", "holdoutPercent", "variantA.template", "variantA.weight",
            "variantA.body", "variantB.template", "variantB.weight", "variantB.body", "abTest", "abTest.testPercent",
            "abTest.duration", "abTest.metric", "abTest.fallback", "schedule.mode", "schedule.at", "schedule.window",
            "schedule.localTime", "quietHours", "quietHours.start", "quietHours.end", "cap.messages", "cap.period",
            "variantA.link.target", "variantA.link.button", "variantB.link.target", "variantB.link.button", "csatSurvey",
            "sendPath");

    public static CampaignForm empty() {
        Map<String, String> values = new LinkedHashMap<>();
        FIELDS.forEach(f -> values.put(f, ""));
        values.put("holdoutPercent", "0");
        values.put("variantA.weight", "1");
        values.put("variantB.weight", "1");
        values.put("abTest.testPercent", "20");
        values.put("abTest.duration", "4");
        values.put("abTest.metric", "click-through");
        values.put("abTest.fallback", "leading");
        values.put("schedule.mode", "at");
        values.put("schedule.window", "24");
        values.put("quietHours", "default");
        values.put("sendPath", "messages");
        return new CampaignForm(values, List.of(), List.of(), null, Map.of());
    }

    public static CampaignForm of(MultivaluedMap<String, String> form) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String field : FIELDS) {
            String value = form.getFirst(field);
            values.put(field, value == null ? "" : value.trim());
        }
        return new CampaignForm(values, list(form.get("segments")), list(form.get("excludeSegments")), null, Map.of());
    }

    private static List<String> list(List<String> given) {
        return given == null ? List.of() : given.stream().map(String::trim).filter(s -> !s.isEmpty()).distinct().limit(20).toList();
    }

    public CampaignForm withErrors(String detail, Map<String, String> errors) {
        return new CampaignForm(values, segments, excludeSegments, detail, Map.copyOf(errors));
    }

    public String value(String field) {
        return values.getOrDefault(field, "");
    }

    public boolean is(String field, String value) {
        return value.equals(values.get(field));
    }

    /** Whether the variant's template select has this template (name and language) chosen. */
    public boolean chosen(String variant, String name, String language) {
        return (name + "|" + language).equals(values.get(variant + ".template"));
    }

    public boolean targets(String segment) {
        return segments.contains(segment);
    }

    public boolean excludes(String segment) {
        return excludeSegments.contains(segment);
    }

    public String error(String group) {
        return errors.get(group);
    }

    public boolean has(String group) {
        return errors.containsKey(group);
    }

    /** The form group a campaign-service JSON pointer belongs to, or null (then the problem is shown above the form). */
    public static String group(String pointer) {
        String p = pointer == null ? "" : pointer;
        if (p.equals("/name")) {
            return "name";
        }
        if (p.startsWith("/audience/excludeSegments")) {
            return "excludeSegments";
        }
        if (p.startsWith("/audience/holdoutPercent")) {
            return "holdoutPercent";
        }
        if (p.startsWith("/audience")) {
            return "segments";
        }
        if (p.startsWith("/variants/1")) {
            return "variantB";
        }
        if (p.startsWith("/variants")) {
            return "variantA";
        }
        for (String[] prefix : new String[][] {{"/abTest", "abTest"}, {"/schedule", "schedule"}, {"/startAt", "schedule"},
                {"/quietHours", "quietHours"}, {"/frequencyCap", "cap"}, {"/sendPath", "delivery"}, {"/csatSurvey", "delivery"}}) {
            if (p.startsWith(prefix[0])) {
                return prefix[1];
            }
        }
        return null;
    }
}
