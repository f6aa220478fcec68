package io.sohbet.console.service;

import io.quarkus.qute.TemplateData;
import io.sohbet.console.client.ApiProblem;
import io.sohbet.console.client.SegmentApi;

import java.util.ArrayList;
import java.util.List;

/**
 * What the segment builder shows for a rule text: its parsed tree, its problems each at its line and column (Jackson's
 * for text that is not JSON, segment-service's JSON pointers placed in the text otherwise), the text with those places
 * marked, and segment-service's counts: the profiles matching now and, of them, those reachable with marketing consent
 * (an estimate, see docs/console-service.md).
 */
@TemplateData
public record RulePreview(RuleTree tree, List<Problem> problems, List<Line> lines, SegmentApi.Preview preview) {

    /** One problem: where (1-based line and column; the JSON pointer when the API gave one) and what. */
    @TemplateData
    public record Problem(int line, int column, String pointer, String message) {
    }

    /** A line of the text, in pieces, the marked ones being a problem's place. */
    @TemplateData
    public record Line(int number, List<Piece> pieces, boolean marked) {
    }

    @TemplateData
    public record Piece(String text, boolean marked) {
    }

    public boolean valid() {
        return problems.isEmpty();
    }

    public static RulePreview syntax(RuleText text) {
        RuleText.SyntaxError error = text.syntaxError();
        RuleText.Span at = error.at();
        return new RulePreview(RuleTree.of(null), List.of(new Problem(at.line(), at.column(), null, error.message())),
                lines(text.text(), List.of(at)), null);
    }

    public static RulePreview counted(RuleText text, SegmentApi.Preview preview) {
        return new RulePreview(RuleTree.of(text.rule()), List.of(), lines(text.text(), List.of()), preview);
    }

    /** segment-service refused the rule: each error whose pointer is in the rule ({@code /rule/...}), at its place. */
    public static RulePreview refused(RuleText text, ApiProblem problem) {
        List<Problem> problems = new ArrayList<>();
        List<RuleText.Span> spans = new ArrayList<>();
        for (ApiProblem.Error error : problem.errors()) {
            if (!error.pointer().equals("/rule") && !error.pointer().startsWith("/rule/")) {
                continue;
            }
            String pointer = error.pointer().substring("/rule".length());
            RuleText.Span at = text.at(pointer);
            spans.add(at);
            problems.add(new Problem(at == null ? 1 : at.line(), at == null ? 1 : at.column(), pointer.isEmpty() ? "/" : pointer,
                    error.detail()));
        }
        if (problems.isEmpty()) {
            problems.add(new Problem(1, 1, null, problem.detail() == null ? "the rule is invalid" : problem.detail()));
        }
        return new RulePreview(RuleTree.of(text.rule()), List.copyOf(problems), lines(text.text(), spans), null);
    }

    /** The text by lines, the characters of {@code marks} marked. */
    static List<Line> lines(String text, List<RuleText.Span> marks) {
        boolean[] marked = new boolean[text.length()];
        for (RuleText.Span span : marks) {
            if (span == null) {
                continue;
            }
            int end = Math.max(span.end(), Math.min(span.start() + 1, text.length()));
            for (int i = Math.max(0, span.start()); i < end && i < text.length(); i++) {
                marked[i] = true;
            }
        }
        List<Line> lines = new ArrayList<>();
        int start = 0;
        int number = 1;
        while (start <= text.length()) {
            int newline = text.indexOf('\n', start);
            int end = newline < 0 ? text.length() : newline;
            List<Piece> pieces = new ArrayList<>();
            boolean any = false;
            int from = start;
            for (int i = start; i <= end; i++) {
                if (i == end || marked[i] != marked[from]) {
                    if (i > from) {
                        pieces.add(new Piece(text.substring(from, i).replace("\r", ""), marked[from]));
                        any |= marked[from];
                    }
                    from = i;
                }
            }
            lines.add(new Line(number++, List.copyOf(pieces), any));
            if (newline < 0) {
                break;
            }
            start = newline + 1;
        }
        return List.copyOf(lines);
    }
}
