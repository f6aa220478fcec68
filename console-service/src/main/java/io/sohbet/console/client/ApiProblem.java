package io.sohbet.console.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.WebApplicationException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An API's RFC 9457 answer to a refused change ({@code application/problem+json}): its detail and, per field, the
 * message of each {@code errors[].pointer} ({@code /phone} → field {@code phone}), so a form shows it beside the field.
 */
public record ApiProblem(int status, String title, String detail, Map<String, String> fields, List<Error> errors) {

    /** One {@code errors[]} entry as the API gave it: its whole JSON pointer and detail. */
    public record Error(String pointer, String detail) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public static ApiProblem of(WebApplicationException refused) {
        int status = refused.getResponse().getStatus();
        String body;
        try {
            body = refused.getResponse().readEntity(String.class);
        } catch (RuntimeException unreadable) {
            body = null;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        List<Error> errors = new ArrayList<>();
        String title = null;
        String detail = null;
        if (body != null && !body.isBlank()) {
            try {
                JsonNode problem = JSON.readTree(body);
                title = problem.path("title").asText(null);
                detail = problem.path("detail").asText(null);
                for (JsonNode error : problem.path("errors")) {
                    String pointer = error.path("pointer").asText("");
                    errors.add(new Error(pointer, error.path("detail").asText("")));
                    String field = pointer.startsWith("/") ? pointer.substring(1) : pointer;
                    int slash = field.indexOf('/');
                    fields.merge(slash < 0 ? field : field.substring(0, slash), error.path("detail").asText(""),
                            (a, b) -> a + "; " + b);
                }
            } catch (java.io.IOException notJson) {
                detail = null;
            }
        }
        return new ApiProblem(status, title, detail, fields, List.copyOf(errors));
    }

    /** The message for a form field, or null. */
    public String field(String name) {
        return fields.get(name);
    }
}
