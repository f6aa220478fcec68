package io.sohbet.console.rest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sohbet.console.Browser;
import io.sohbet.console.ConsoleTestResource;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Sign-in through Keycloak, the layout, and which pages each realm role sees. */
@QuarkusTest
@QuarkusTestResource(value = ConsoleTestResource.class, restrictToAnnotatedClass = false)
class NavigationTest {

    private static final List<String> PRIVACY = List.of("/privacy/dsr", "/privacy/consents", "/privacy/audit",
            "/privacy/destruction-records", "/privacy/iys");
    private static final List<String> ANALYTICS = List.of("/analytics/campaigns");
    private static final List<String> MARKETING = List.of("/marketing/segments", "/marketing/campaigns", "/marketing/campaigns/new");

    @TestHTTPResource("/")
    URI console;

    @Test
    void withoutASessionAPageSendsToKeycloakWithPkce() {
        Browser.Page page = new Browser(console).get("/privacy/dsr");

        assertThat(page.status()).isEqualTo(302);
        URI login = URI.create(page.header("Location"));
        assertThat(login.getPath()).isEqualTo("/realms/sohbet/protocol/openid-connect/auth");
        assertThat(login.getQuery()).contains("client_id=sohbet-console", "response_type=code", "code_challenge_method=S256",
                "code_challenge=");
    }

    @Test
    void anHtmxRequestWithoutASessionGets499NotARedirect() {
        Browser.Page page = new Browser(console).get("/privacy/dsr", Map.of("HX-Request", "true"));

        assertThat(page.status()).isEqualTo(499);
    }

    @Test
    void thePrivacyOfficerSeesOnlyThePrivacyPages() {
        Browser privacy = Browser.signIn(console, "privacy");
        Document home = privacy.get("/").html();

        assertThat(navigation(home)).containsExactlyElementsOf(concat(List.of("/"), PRIVACY));
        for (String page : concat(ANALYTICS, MARKETING)) {
            assertThat(privacy.get(page).status()).as(page).isEqualTo(403);
        }
        for (String page : PRIVACY) {
            assertThat(privacy.get(page).status()).as(page).isEqualTo(200);
        }
    }

    @Test
    void theAnalystSeesOnlyTheAnalyticsPages() {
        Browser analyst = Browser.signIn(console, "analyst");

        assertThat(navigation(analyst.get("/").html())).containsExactlyElementsOf(concat(List.of("/"), ANALYTICS));
        for (String page : PRIVACY) {
            assertThat(analyst.get(page).status()).as(page).isEqualTo(403);
        }
        assertThat(analyst.get("/analytics/campaigns").status()).isEqualTo(200);
    }

    @Test
    void theMarketerSeesTheAnalyticsPagesAndTheAdminEverything() {
        Browser marketer = Browser.signIn(console, "marketer");
        assertThat(navigation(marketer.get("/").html())).containsExactlyElementsOf(concat(concat(List.of("/"), ANALYTICS), MARKETING));
        assertThat(marketer.get("/privacy/dsr").status()).isEqualTo(403);

        Browser admin = Browser.signIn(console, "admin");
        assertThat(navigation(admin.get("/").html()))
                .containsExactlyElementsOf(concat(concat(concat(List.of("/"), PRIVACY), ANALYTICS), MARKETING));
    }

    @Test
    void theLayoutIsTurkishFirstWithASkipLinkAndTheUsersTimeZone() {
        Browser privacy = Browser.signIn(console, "privacy");
        Browser.Page page = privacy.get("/privacy/dsr");
        Document html = page.html();

        assertThat(html.selectFirst("html").attr("lang")).isEqualTo("tr");
        assertThat(html.selectFirst("a.skip").attr("href")).isEqualTo("#main");
        assertThat(html.selectFirst("main#main")).isNotNull();
        assertThat(html.selectFirst("nav").attr("aria-label")).isEqualTo("Ana menü");
        assertThat(html.selectFirst("nav a[aria-current=page]").attr("href")).isEqualTo("/privacy/dsr");
        assertThat(html.selectFirst(".who").text()).contains("Europe/Istanbul");
        // no inline script: every <script> has a src on the console itself, and the policy says so
        assertThat(html.select("script")).allSatisfy(s -> assertThat(s.attr("src")).startsWith("/"));
        assertThat(html.select("script").stream().map(s -> s.attr("src")))
                .contains("/webjars/htmx.org/2.0.10/dist/htmx.min.js", "/webjars/htmx-ext-sse/2.2.2/sse.js", "/static/console.js");
        assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'").doesNotContain("unsafe-inline");

        privacy.setCookie("tz", "America/New_York");
        assertThat(privacy.get("/privacy/dsr").html().selectFirst(".who").text()).contains("America/New_York");

        Browser.Page english = privacy.get("/preferences?lang=en");
        assertThat(english.status()).isEqualTo(303);
        Document en = privacy.get("/privacy/dsr").html();
        assertThat(en.selectFirst("html").attr("lang")).isEqualTo("en");
        assertThat(en.selectFirst("nav").attr("aria-label")).isEqualTo("Main navigation");
    }

    @Test
    void theWebjarsAreServedWithoutASession() {
        Browser anonymous = new Browser(console);
        assertThat(anonymous.get("/webjars/htmx.org/2.0.10/dist/htmx.min.js").status()).isEqualTo(200);
        assertThat(anonymous.get("/webjars/htmx-ext-sse/2.2.2/sse.js").status()).isEqualTo(200);
        assertThat(anonymous.get("/static/console.js").body()).contains("allowEval = false");
    }

    @Test
    void tokensStayOnTheServerInCookiesUnder4Kb() {
        Browser admin = Browser.signIn(console, "admin");

        Map<String, String> cookies = admin.consoleCookies();
        assertThat(cookies.keySet()).anyMatch(name -> name.startsWith("q_session"));
        assertThat(cookies.values()).allSatisfy(value -> {
            assertThat(value.length()).isLessThan(4000);
            // encrypted (JWE compact form, five parts), not a readable JWT (three parts)
            assertThat(value.split("\\.")).hasSize(5);
            String header = new String(java.util.Base64.getUrlDecoder().decode(value.substring(0, value.indexOf('.'))));
            assertThat(header).contains("\"enc\":\"A256GCM\"");
        });
    }

    private static List<String> navigation(Document page) {
        return page.select("nav a").stream().map(a -> a.attr("href")).toList();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
