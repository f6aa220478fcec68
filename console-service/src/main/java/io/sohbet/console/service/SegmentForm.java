package io.sohbet.console.service;

import io.quarkus.qute.TemplateData;

import java.util.Map;

/** The "save the segment" form as typed, with what is wrong per field (the console's check or segment-service's problem). */
@TemplateData
public record SegmentForm(String id, String name, String description, String rule, String detail, Map<String, String> errors) {

    public static final String EXAMPLE = """
            {
              "all": [
                {"attr": "orders30d", "op": ">=", "value": 1},
                {"attr": "lastSeenAt", "op": "within", "value": "30d"}
              ]
            }""";

    public static SegmentForm empty() {
        return new SegmentForm("", "", "", EXAMPLE, null, Map.of());
    }

    public String error(String field) {
        return errors.get(field);
    }

    public boolean has(String field) {
        return errors.containsKey(field);
    }
}
