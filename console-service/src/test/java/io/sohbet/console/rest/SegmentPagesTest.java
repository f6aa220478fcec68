package io.sohbet.console.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.sohbet.console.ApiStub;
import io.sohbet.console.Browser;
import io.sohbet.console.SignedInTest;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The segment builder: the debounced, cancelling preview, problems at their line and column, saving. */
@QuarkusTest
class SegmentPagesTest extends SignedInTest {

    /** Line 4 names an attribute segment-service does not know, and gives it a text value. */
    static final String REFUSED = """
            {
              "all": [
                {"attr": "orders30d", "op": ">=", "value": 1},
                {"attr": "nope", "op": "=", "value": "x"}
              ]
            }""";

    private Browser marketer;

    @BeforeEach
    void setUp() {
        marketer = signIn("marketer");
    }

    @Test
    void thePageListsTheSegmentsAndItsRuleBoxPreviewsDebouncedAndCancelling() {
        Document page = marketer.get("/marketing/segments").html();

        assertThat(Browser.texts(page, "#segment-list tbody tr td:first-child")).containsExactly("vip", "lapsed");
        assertThat(page.selectFirst("tr[data-segment=vip] .members").text()).isEqualTo("420");
        Element rule = page.selectFirst("textarea#rule");
        assertThat(rule.attr("hx-post")).isEqualTo("/marketing/segments/preview");
        assertThat(rule.attr("hx-trigger")).isEqualTo("keyup changed delay:500ms");
        assertThat(rule.attr("hx-sync")).isEqualTo("this:replace");
        assertThat(rule.attr("hx-target")).isEqualTo("#preview");
        assertThat(api.calls()).singleElement().satisfies(c -> {
            assertThat(c.uri()).isEqualTo("/api/segments");
            assertThat(c.claims().path("preferred_username").asText()).isEqualTo("marketer");
        });
    }

    @Test
    void aValidRuleShowsItsTreeAndSegmentServicesCount() {
        String rule = "{\"all\": [{\"attr\": \"orders30d\", \"op\": \">=\", \"value\": 3}, {\"not\": {\"inSegment\": \"vip\"}}]}";

        Browser.Page answer = marketer.post("/marketing/segments/preview", Map.of("rule", rule), marketer.htmx());

        assertThat(answer.status()).isEqualTo(200);
        Document preview = answer.html();
        assertThat(preview.selectFirst("#preview-count").text()).isEqualTo("1234");
        assertThat(preview.selectFirst("#preview-reachable").text()).isEqualTo("987");
        assertThat(preview.selectFirst("#preview-reachable-note").text()).contains("Tahmindir", "İYS");
        assertThat(preview.select("#rule-tree li").stream().map(li -> li.attr("aria-level") + " " + li.text()).toList())
                .containsExactly("1 all", "2 orders30d >= 3", "2 not", "3 inSegment vip");
        assertThat(preview.select("#rule-problems")).isEmpty();
        ApiStub.Call call = api.calls().get(0);
        assertThat(call.uri()).isEqualTo("/api/segments/preview");
        assertThat(call.body()).isEqualTo("{\"rule\":" + rule.replace(" ", "") + "}");
        assertThat(call.claims().path("preferred_username").asText()).isEqualTo("marketer");
    }

    @Test
    void theApisProblemsShowAtTheirLineAndColumnInTheText() {
        Document preview = marketer.post("/marketing/segments/preview", Map.of("rule", REFUSED), marketer.htmx()).html();

        Element attr = preview.selectFirst("#rule-problems li");
        assertThat(attr.attr("data-line")).isEqualTo("4");
        assertThat(attr.attr("data-column")).isEqualTo("14"); // "nope" after 4 spaces and {"attr": 
        assertThat(attr.text()).contains("/all/1/attr", "unknown attribute nope");
        Element value = preview.select("#rule-problems li").get(1);
        assertThat(value.attr("data-line")).isEqualTo("4");
        assertThat(value.attr("data-column")).isEqualTo(String.valueOf(REFUSED.lines().toList().get(3).indexOf("\"x\"") + 1));
        assertThat(Browser.texts(preview, "#rule-source mark")).containsExactly("\"nope\"", "\"x\"");
        assertThat(preview.selectFirst("#rule-source .line.marked").attr("data-line")).isEqualTo("4");
        assertThat(preview.select("#preview-count")).isEmpty();
    }

    @Test
    void textThatIsNotJsonIsPlacedByTheConsoleWithoutAskingTheApi() {
        Document preview = marketer.post("/marketing/segments/preview", Map.of("rule", "{\n  \"all\": [\n    {\"attr\" \"age\"}\n  ]\n}"),
                marketer.htmx()).html();

        Element problem = preview.selectFirst("#rule-problems li");
        assertThat(problem.attr("data-line")).isEqualTo("3");
        assertThat(problem.attr("data-column")).isEqualTo("13");
        assertThat(api.calls()).isEmpty();
    }

    @Test
    void savingSendsTheSegmentAsTheMarketerAndGoesBackToTheList() {
        Browser.Page saved = marketer.post("/marketing/segments", Map.of("id", "big-spenders", "name", "Big spenders",
                "description", "", "rule", "{\"attr\": \"revenue30d\", \"op\": \">\", \"value\": 1000}"), marketer.htmx());

        assertThat(saved.status()).isEqualTo(200);
        assertThat(saved.header("HX-Redirect")).isEqualTo("/marketing/segments?saved=big-spenders");
        ApiStub.Call call = api.calls().get(0);
        assertThat(call.method() + " " + call.uri()).isEqualTo("POST /api/segments");
        assertThat(call.body()).isEqualTo("{\"id\":\"big-spenders\",\"name\":\"Big spenders\",\"rule\":{\"attr\":\"revenue30d\",\"op\":\">\",\"value\":1000}}");
        assertThat(marketer.get("/marketing/segments?saved=big-spenders").html().selectFirst("#saved").text()).contains("big-spenders");
    }

    @Test
    void aTakenIdAndBadFieldsShowBesideTheirFields() {
        Browser.Page taken = marketer.post("/marketing/segments", Map.of("id", "taken", "name", "x", "description", "",
                "rule", "{\"attr\": \"age\", \"op\": \"exists\"}"), marketer.htmx());
        assertThat(taken.status()).isEqualTo(400);
        assertThat(taken.html().selectFirst("#id-error").text()).isEqualTo("a segment with this id exists");
        assertThat(taken.html().selectFirst("#segment-id").attr("aria-invalid")).isEqualTo("true");

        api.clear();
        Browser.Page bad = marketer.post("/marketing/segments", Map.of("id", "Bad Id", "name", "", "description", "", "rule", "{"),
                marketer.htmx());
        assertThat(bad.status()).isEqualTo(400);
        Document form = bad.html();
        assertThat(form.selectFirst("#id-error")).isNotNull();
        assertThat(form.selectFirst("#name-error")).isNotNull();
        assertThat(form.selectFirst("#rule-error")).isNotNull();
        assertThat(form.selectFirst("#rule").text()).isEqualTo("{");
        assertThat(api.calls()).isEmpty();
    }

    @Test
    void aRuleRefusedOnSavingShowsItsProblemsInThePreviewBesideTheForm() {
        Browser.Page refused = marketer.post("/marketing/segments", Map.of("id", "nope-segment", "name", "Nope",
                "description", "", "rule", REFUSED), marketer.htmx());

        assertThat(refused.status()).isEqualTo(400);
        Document form = refused.html();
        assertThat(form.selectFirst("#rule").attr("aria-invalid")).isEqualTo("true");
        assertThat(form.selectFirst("#rule-error").text()).isEqualTo("unknown attribute nope");
        Element problem = form.selectFirst("#preview #rule-problems li");
        assertThat(problem.attr("data-line")).isEqualTo("4");
        assertThat(problem.attr("data-column")).isEqualTo("14");
        assertThat(Browser.texts(form, "#rule-source mark")).containsExactly("\"nope\"");
        assertThat(form.selectFirst("#segment-name").attr("value")).isEqualTo("Nope");
    }
}
