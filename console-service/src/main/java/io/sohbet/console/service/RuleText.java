package io.sohbet.console.service;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A segment rule as the marketer typed it: segment-service's rule language is JSON, and its problems point at nodes
 * with JSON pointers ({@code /rule/all/0/op}). This reads the text once, keeping where each node's value starts and
 * ends (line, column, character offsets), so that every problem the API answers is shown at its place in the text.
 * Text that is not JSON at all is answered here, with Jackson's line and column, without asking the API.
 */
public final class RuleText {

    /** Where a node's value is in the text: 1-based line and column, and its characters [start, end). */
    public record Span(int line, int column, int start, int end) {
    }

    /** The text's syntax error (what and where), or null. */
    public record SyntaxError(String message, Span at) {
    }

    private static final JsonFactory FACTORY = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final ObjectMapper JSON = new ObjectMapper(FACTORY);

    private final String text;
    private final JsonNode rule;
    private final Map<String, Span> spans;
    private final SyntaxError syntaxError;

    private RuleText(String text, JsonNode rule, Map<String, Span> spans, SyntaxError syntaxError) {
        this.text = text;
        this.rule = rule;
        this.spans = spans;
        this.syntaxError = syntaxError;
    }

    public static RuleText parse(String text) {
        String source = text == null ? "" : text;
        Map<String, Span> spans = new HashMap<>();
        try (JsonParser parser = FACTORY.createParser(source)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.FIELD_NAME || token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                    continue;
                }
                if (token.isScalarValue()) {
                    parser.getText(); // reads the whole token (a string is read lazily), so that its end is known
                }
                JsonLocation start = parser.currentTokenLocation();
                int from = (int) start.getCharOffset();
                int to = token.isScalarValue() ? (int) parser.currentLocation().getCharOffset() : from + 1;
                spans.putIfAbsent(pointer(parser, token), new Span(start.getLineNr(), start.getColumnNr(), from, Math.min(to, source.length())));
            }
            JsonNode rule = JSON.readTree(source);
            if (rule == null || rule.isMissingNode()) {
                return new RuleText(source, null, spans, new SyntaxError("empty", new Span(1, 1, 0, 0)));
            }
            return new RuleText(source, rule, spans, null);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            int offset = at == null ? 0 : (int) Math.max(0, Math.min(at.getCharOffset(), source.length()));
            Span span = at == null ? new Span(1, 1, 0, 0)
                    : new Span(Math.max(1, at.getLineNr()), Math.max(1, at.getColumnNr()), offset, Math.min(offset + 1, source.length()));
            return new RuleText(source, null, spans, new SyntaxError(readable(e.getOriginalMessage()), span));
        } catch (IOException e) {
            return new RuleText(source, null, spans, new SyntaxError("unreadable", new Span(1, 1, 0, 0)));
        }
    }

    /**
     * Jackson's message without its own location (the page gives line and column): "expected close marker for Object
     * (start marker at [Source: REDACTED …; line: 1, column: 1])" loses the part in parentheses.
     */
    static String readable(String message) {
        return message == null ? "unreadable" : message.replaceAll("\\s*\\(start marker at \\[Source:.*$", "").strip();
    }

    /** The JSON pointer of the value the parser is at ({@code ""} is the root). */
    private static String pointer(JsonParser parser, JsonToken token) {
        var context = parser.getParsingContext();
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
            context = context.getParent(); // the container's own context has no segment yet: its parent's names it
        }
        return context == null ? "" : context.pathAsPointer().toString();
    }

    public String text() {
        return text;
    }

    /** The rule as JSON, or null when the text is not JSON. */
    public JsonNode rule() {
        return rule;
    }

    public SyntaxError syntaxError() {
        return syntaxError;
    }

    /**
     * Where the node at {@code pointer} (relative to the rule: {@code /all/0/op}) is; a node that is missing (a key the
     * API wants and the text lacks) is shown at its nearest parent. Null only for an empty text.
     */
    public Span at(String pointer) {
        String p = pointer == null || pointer.equals("/") ? "" : pointer;
        while (true) {
            Span span = spans.get(p);
            if (span != null || p.isEmpty()) {
                return span;
            }
            p = p.substring(0, p.lastIndexOf('/'));
        }
    }
}
