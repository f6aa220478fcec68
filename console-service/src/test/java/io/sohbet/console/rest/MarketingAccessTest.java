package io.sohbet.console.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.sohbet.console.Browser;
import io.sohbet.console.SignedInTest;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The marketer's pages by role: links and routes for marketers and admins only, the 403 page for the others. */
@QuarkusTest
class MarketingAccessTest extends SignedInTest {

    static final List<String> PAGES = List.of("/marketing/segments", "/marketing/campaigns", "/marketing/campaigns/new",
            "/marketing/campaigns/" + CampaignPagesTest.ID, "/marketing/campaigns/" + CampaignPagesTest.ID + "/progress");
    static final List<String> LINKS = List.of("/marketing/segments", "/marketing/campaigns", "/marketing/campaigns/new");

    @Test
    void thePrivacyOfficerGetsThe403PageAndNoLinks() {
        refused(signIn("privacy"));
    }

    @Test
    void theAnalystGetsThe403PageAndNoLinks() {
        refused(signIn("analyst"));
    }

    @Test
    void theMarketerHasTheLinksAndThePages() {
        allowed(signIn("marketer"));
    }

    @Test
    void theAdminHasTheLinksAndThePages() {
        allowed(signIn("admin"));
    }

    @Test
    void changesAreRefusedToOtherRolesBeforeAnyApiIsAsked() {
        Browser analyst = signIn("analyst");
        assertThat(analyst.post("/marketing/segments/preview", Map.of("rule", "{}"), analyst.htmx()).status()).isEqualTo(403);
        assertThat(analyst.post("/marketing/campaigns", Map.of("name", "x"), analyst.htmx()).status()).isEqualTo(403);
        assertThat(api.calls()).isEmpty();
    }

    private void refused(Browser person) {
        Document home = person.get("/").html();
        assertThat(home.select("nav a").eachAttr("href")).doesNotContainAnyElementsOf(LINKS);
        assertThat(home.select("main a").eachAttr("href")).doesNotContainAnyElementsOf(LINKS);
        for (String page : PAGES) {
            Browser.Page answer = person.get(page);
            assertThat(answer.status()).as(page).isEqualTo(403);
            assertThat(answer.html().selectFirst("h1").text()).as(page).isEqualTo("Yetkiniz yok");
        }
        assertThat(api.calls()).isEmpty();
    }

    private void allowed(Browser person) {
        Document home = person.get("/").html();
        assertThat(home.select("nav a").eachAttr("href")).containsAll(LINKS);
        assertThat(home.select("#home-marketing + ul a").eachAttr("href")).containsExactlyElementsOf(LINKS);
        for (String page : PAGES.subList(0, 4)) {
            assertThat(person.get(page).status()).as(page).isEqualTo(200);
        }
    }
}
