package io.sohbet.console.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.sohbet.console.ApiStub;
import io.sohbet.console.Browser;
import io.sohbet.console.SignedInTest;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The privacy officer's pages: what consent-service answered, as the signed-in person. */
@QuarkusTest
class PrivacyPagesTest extends SignedInTest {

    private Browser privacy;

    @BeforeEach
    void setUp() {
        privacy = signIn("privacy");
    }

    @Test
    void theApisAreCalledWithThePersonsOwnKeycloakToken() {
        assertThat(privacy.get("/privacy/dsr").status()).isEqualTo(200);

        ApiStub.Call call = api.calls().get(0);
        assertThat(call.uri()).startsWith("/api/dsr");
        assertThat(call.claims().path("preferred_username").asText()).isEqualTo("privacy");
        assertThat(call.claims().path("azp").asText()).isEqualTo("sohbet-console");
        assertThat(call.claims().path("iss").asText()).endsWith("/realms/sohbet");
        assertThat(call.claims().path("aud").toString()).contains("sohbet-consent", "sohbet-metrics", "sohbet-segment", "sohbet-campaign");
        assertThat(call.claims().path("realm_access").path("roles").toString()).contains("privacy-officer");
    }

    @Test
    void theQueueShowsEachOpenRequestsDaysLeftToItsDeadline() {
        Document page = privacy.get("/privacy/dsr").html();
        JsonNode requests = api.answer("/api/dsr");

        Element open = page.selectFirst("tr[data-request=" + requests.get(0).path("id").asText() + "]");
        Instant due = Instant.parse(requests.get(0).path("dueAt").asText());
        ZoneId zone = ZoneId.of("Europe/Istanbul");
        long days = ChronoUnit.DAYS.between(LocalDate.now(zone), LocalDate.ofInstant(due, zone));
        assertThat(open.selectFirst("td.days-left").text()).isEqualTo(String.valueOf(days));
        assertThat(open.selectFirst("td.days-left span").className()).isEqualTo("days-late"); // 3 days: under 5
        assertThat(open.select("td").get(1).text()).isEqualTo("erasure");
        assertThat(open.select("td").get(2).text()).isEqualTo(requests.get(0).path("subjectId").asText());

        Element done = page.selectFirst("tr[data-request=" + requests.get(1).path("id").asText() + "]");
        assertThat(done.selectFirst("td.days-left").text()).isEqualTo("–");
        assertThat(page.select("#dsr-queue time").first().text()).endsWith("Europe/Istanbul");
    }

    @Test
    void aStatusFilterOutsideTheApisIsA400() {
        assertThat(privacy.get("/privacy/dsr?status=deleted").status()).isEqualTo(400);
        assertThat(api.calls()).isEmpty();
    }

    @Test
    void aRequestPageShowsEachServicesProgress() {
        String id = api.answer("/api/dsr").get(0).path("id").asText();

        Document page = privacy.get("/privacy/dsr/" + id).html();

        assertThat(page.selectFirst("#dsr-status").text()).isEqualTo("in-progress");
        assertThat(Browser.texts(page, "#dsr-progress tbody tr td:first-child")).containsExactly("metrics-service", "segment-service");
        assertThat(page.select("#dsr-progress tbody tr").get(0).select("td").get(3).text()).isEqualTo("12");
        assertThat(privacy.get("/privacy/dsr/not-a-request").status()).isEqualTo(404);
    }

    @Test
    void filingAnErasureSendsItToConsentServiceAndGoesToItsPage() {
        Browser.Page filed = privacy.post("/privacy/dsr", Map.of("type", "erasure", "phone", "+90 532 123 45 67", "country", ""),
                privacy.htmx());

        assertThat(filed.status()).isEqualTo(200);
        assertThat(filed.header("HX-Redirect")).isEqualTo("/privacy/dsr/2d9a1c6e-3f4a-4b5c-8d6e-2f3a4b5c6d7e");
        ApiStub.Call call = api.calls().stream().filter(c -> c.method().equals("POST")).findFirst().orElseThrow();
        assertThat(call.body()).isEqualTo("{\"type\":\"erasure\",\"phone\":\"+90 532 123 45 67\"}");
        assertThat(call.claims().path("preferred_username").asText()).isEqualTo("privacy");
    }

    @Test
    void theApisProblemShowsBesideItsField() {
        Browser.Page refused = privacy.post("/privacy/dsr", Map.of("type", "access", "phone", "5351234567", "country", ""), privacy.htmx());

        assertThat(refused.status()).isEqualTo(400);
        Document form = refused.html();
        assertThat(form.selectFirst("#phone").attr("aria-invalid")).isEqualTo("true");
        assertThat(form.selectFirst("#phone-error").text()).isEqualTo("read two ways: give the country");
        assertThat(form.selectFirst("#phone").attr("value")).isEqualTo("5351234567");
        // a second click while the request is being filed is dropped, not queued (it would file it twice)
        assertThat(form.selectFirst("form#dsr-form").attr("hx-sync")).isEqualTo("this:drop");
    }

    @Test
    void theConsoleChecksItsOwnFieldsBeforeAskingTheApi() {
        Browser.Page refused = privacy.post("/privacy/dsr", Map.of("type", "rectification", "phone", "", "country", "TUR"),
                privacy.htmx());

        assertThat(refused.status()).isEqualTo(400);
        Document form = refused.html();
        assertThat(form.selectFirst("#type-error")).isNotNull();
        assertThat(form.selectFirst("#phone-error")).isNotNull();
        assertThat(form.selectFirst("#country-error")).isNotNull();
        assertThat(api.calls()).isEmpty();
    }

    @Test
    void aSubjectsConsentShowsItsProofAndWholeHistory() {
        Document page = privacy.get("/privacy/consents?subjectId=SUBJECTaaaaaaaaaaaaaaaa1").html();
        JsonNode consent = api.answer("/api/consents/SUBJECTaaaaaaaaaaaaaaaa1");

        assertThat(page.select("#consent-current tbody tr")).hasSize(consent.path("current").size());
        assertThat(page.select("#consent-history tbody tr")).hasSize(consent.path("history").size());
        Element current = page.selectFirst("#consent-current tbody tr");
        assertThat(current.text()).contains("granted", "web-form", "kvkk-aydinlatma",
                consent.path("current").get(0).path("noticeSha256").asText());
        assertThat(privacy.get("/privacy/consents?subjectId=SUBJECTnobodyzzzzzzzzzzz").status()).isEqualTo(404);
        assertThat(privacy.get("/privacy/consents?subjectId=x%27or").status()).isEqualTo(400);
    }

    @Test
    void aPhoneLooksUpTheConsentInTheBodyNeverInAUrl() {
        Document page = privacy.get("/privacy/consents").html();
        Element form = page.selectFirst("form#phone-lookup");
        assertThat(form.attr("hx-post")).isEqualTo("/privacy/consents");
        assertThat(form.attr("method")).isEqualTo("post");

        Browser.Page found = privacy.post("/privacy/consents", Map.of("phone", "+90 532 123 45 67", "country", ""), privacy.htmx());
        assertThat(found.status()).isEqualTo(200);
        JsonNode consent = api.answer("/api/consents/SUBJECTaaaaaaaaaaaaaaaa1");
        Document result = found.html();
        assertThat(result.selectFirst("#consent-subject").text()).isEqualTo("SUBJECTaaaaaaaaaaaaaaaa1");
        assertThat(result.select("#consent-history tbody tr")).hasSize(consent.path("history").size());
        assertThat(result.select("#consent-current tbody tr")).hasSize(consent.path("current").size());
        ApiStub.Call call = api.calls().stream().filter(c -> c.method().equals("POST")).findFirst().orElseThrow();
        assertThat(call.uri()).isEqualTo("/api/subjects/lookup");
        assertThat(call.body()).isEqualTo("{\"phone\":\"+90 532 123 45 67\"}");
        assertThat(call.claims().path("preferred_username").asText()).isEqualTo("privacy");
        assertThat(api.calls()).noneMatch(c -> c.uri().contains("532"));

        Browser.Page local = privacy.post("/privacy/consents", Map.of("phone", "0532 123 45 67", "country", "tr"), privacy.htmx());
        assertThat(local.status()).isEqualTo(200);
        Browser.Page unknown = privacy.post("/privacy/consents", Map.of("phone", "+90 532 999 99 99", "country", ""), privacy.htmx());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.html().selectFirst("#subject-error").text()).isEqualTo("bu numara için hiç rıza kaydı yok");
        Browser.Page ambiguous = privacy.post("/privacy/consents", Map.of("phone", "5351234567", "country", ""), privacy.htmx());
        assertThat(ambiguous.status()).isEqualTo(400);
        assertThat(ambiguous.html().selectFirst("#subject-error").text()).isEqualTo("read two ways: give the country");
    }

    @Test
    void aLookupWithoutAPhoneOrWithABadCountryIsRefusedBeforeAskingTheApi() {
        assertThat(privacy.post("/privacy/consents", Map.of("phone", "", "country", ""), privacy.htmx()).status()).isEqualTo(400);
        assertThat(privacy.post("/privacy/consents", Map.of("phone", "0532 123 45 67", "country", "TUR"), privacy.htmx()).status())
                .isEqualTo(400);
        assertThat(api.calls()).isEmpty();
        // a change without htmx's header is refused (CSRF), as every POST
        assertThat(privacy.post("/privacy/consents", Map.of("phone", "+90 532 123 45 67", "country", ""), Map.of()).status()).isEqualTo(403);
    }

    @Test
    void theAuditLogVerifiesItsChainOnRequest() {
        Document page = privacy.get("/privacy/audit").html();
        assertThat(Browser.texts(page, "#audit-log tbody tr td:first-child")).containsExactly("42", "41");
        Element verify = page.selectFirst("button[hx-get=/privacy/audit/verify]");
        assertThat(verify).isNotNull();

        Document result = privacy.get("/privacy/audit/verify", Map.of("HX-Request", "true")).html();

        assertThat(result.selectFirst("#checked").text()).isEqualTo(api.answer("/api/audit/verify").path("checked").asText());
        assertThat(result.selectFirst(".verdict").text()).contains("sağlam");
        assertThat(privacy.get("/privacy/audit?before=-1").status()).isEqualTo(400);
    }

    @Test
    void destructionRecordsAndTheIysStateAreShownAsTheApiAnswered() {
        Document records = privacy.get("/privacy/destruction-records?from=2026-11-01&to=2026-11-30").html();
        assertThat(records.selectFirst("#destruction-records tbody tr").select("td").get(4).text()).isEqualTo("311");
        ApiStub.Call call = api.calls().get(api.calls().size() - 1);
        // calendar days in the viewer's zone (Istanbul, UTC+3)
        assertThat(call.uri()).contains("from=2026-10-31T21:00:00Z", "to=2026-11-30T21:00:00Z", "format=json");
        assertThat(privacy.get("/privacy/destruction-records?from=yesterday").status()).isEqualTo(400);

        Document iys = privacy.get("/privacy/iys").html();
        assertThat(iys.selectFirst("#iys-overdue").text()).isEqualTo("1");
        assertThat(Browser.texts(iys, "#iys-records tbody tr td:first-child")).startsWith("failed", "pending", "sent");
        assertThat(iys.selectFirst("#iys-problems tbody tr").text()).contains("H174");
    }

    @Test
    void anApiThatRefusesTheRoleIsA403Page() {
        Browser analyst = signIn("analyst");
        assertThat(analyst.get("/privacy/iys").status()).isEqualTo(403);
        assertThat(api.calls()).isEmpty(); // the console's own check came first
    }
}
