package io.sohbet.webhook.service;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Lenient readers of webhook JSON: Meta sends timestamps as strings or numbers, and fields come and go. */
final class Json {

    private Json() {
    }

    /** The text of {@code node.field}, or {@code null} when absent, null or empty. */
    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull() || value.isContainerNode()) {
            return null;
        }
        String text = value.asText();
        return text.isEmpty() ? null : text;
    }

    static String text(JsonNode node, String object, String field) {
        return text(node == null ? null : node.get(object), field);
    }

    /** Epoch seconds as a string or number; {@code fallback} when absent or not a number. */
    static Instant epochSeconds(JsonNode node, String field, Instant fallback) {
        return epochSeconds(text(node, field), fallback);
    }

    /** Epoch seconds as text ({@link #text}); {@code fallback} when {@code null} or not a number. */
    static Instant epochSeconds(String text, Instant fallback) {
        if (text == null) {
            return fallback;
        }
        try {
            return Instant.ofEpochSecond(Long.parseLong(text.strip()));
        } catch (NumberFormatException | java.time.DateTimeException e) {
            return fallback;
        }
    }

    static Iterable<JsonNode> array(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || !value.isArray()) {
            return List.of();
        }
        return value::elements;
    }

    static <T> List<T> map(JsonNode node, String field, Function<JsonNode, T> mapper) {
        List<T> out = new ArrayList<>();
        array(node, field).forEach(item -> out.add(mapper.apply(item)));
        return out;
    }

    static int size(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isArray() ? value.size() : 0;
    }

    static Integer integer(JsonNode node, String field) {
        String text = text(node, field);
        if (text == null) {
            return null;
        }
        try {
            return Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
