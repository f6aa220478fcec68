package io.sohbet.console.service;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a JSON pointer's node is in the rule text, and where the text stops being JSON. */
class RuleTextTest {

    private static final String RULE = """
            {"any": [
              {"attr": "city", "op": "in", "value": ["İzmir", "Ankara"]},
              {"not": {"inSegment": "vip"}}
            ]}""";

    @Test
    void eachPointerIsFoundAtItsLineAndColumn() {
        RuleText text = RuleText.parse(RULE);

        assertThat(text.syntaxError()).isNull();
        assertThat(text.at("")).isEqualTo(new RuleText.Span(1, 1, 0, 1));
        assertThat(text.at("/any")).extracting(RuleText.Span::line, RuleText.Span::column).containsExactly(1, 9);
        RuleText.Span city = text.at("/any/0/value/1");
        assertThat(RULE.substring(city.start(), city.end())).isEqualTo("\"Ankara\"");
        assertThat(city.line()).isEqualTo(2);
        RuleText.Span vip = text.at("/any/1/not/inSegment");
        assertThat(RULE.substring(vip.start(), vip.end())).isEqualTo("\"vip\"");
        assertThat(text.at("/any/1/not")).extracting(RuleText.Span::line, RuleText.Span::column).containsExactly(3, 11);
    }

    @Test
    void aMissingNodeIsShownAtItsNearestParent() {
        RuleText text = RuleText.parse(RULE);

        assertThat(text.at("/any/1/not/value")).isEqualTo(text.at("/any/1/not"));
        assertThat(text.at("/")).isEqualTo(text.at(""));
    }

    @Test
    void anUnclosedObjectIsSaidWithoutJacksonsOwnLocation() {
        RuleText text = RuleText.parse("{\"attr\": \"city\", \"op\": \"in\", \"value\": [\"Bayburt\"]");

        assertThat(text.syntaxError().message()).startsWith("Unexpected end-of-input").doesNotContain("Source", "REDACTED", "column: 1");
    }

    @Test
    void textThatIsNotJsonHasItsErrorPlaced() {
        RuleText text = RuleText.parse("{\"all\": [\n  {\"attr\": \"age\",, }\n]}");

        assertThat(text.rule()).isNull();
        assertThat(text.syntaxError().at().line()).isEqualTo(2);
        assertThat(text.syntaxError().at().column()).isEqualTo(18); // the second comma
        assertThat(RuleText.parse("   ").syntaxError()).isNotNull();
    }

    @Test
    void theMarkedPlacesSplitTheirLines() {
        RuleText text = RuleText.parse(RULE);
        var lines = RulePreview.lines(RULE, java.util.List.of(text.at("/any/1/not/inSegment")));

        assertThat(lines).hasSize(4);
        assertThat(lines.get(2).marked()).isTrue();
        assertThat(lines.get(2).pieces()).extracting(RulePreview.Piece::text, RulePreview.Piece::marked)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("  {\"not\": {\"inSegment\": ", false),
                        org.assertj.core.groups.Tuple.tuple("\"vip\"", true), org.assertj.core.groups.Tuple.tuple("}}", false));
        assertThat(lines.get(0).marked()).isFalse();
    }
}
