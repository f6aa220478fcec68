package io.sohbet.consent.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.sohbet.consent.CloudApiStandIn;
import io.sohbet.consent.service.KeyVault;
import io.sohbet.consent.domain.PreferenceLink;
import io.sohbet.consent.service.PreferenceLinks;
import io.sohbet.consent.service.PreferencePage;
import io.sohbet.consent.service.SelfServiceKeywords;
import io.sohbet.consent.service.UnknownSubjectException;
import io.quarkus.arc.Arc;
import io.sohbet.consent.config.ConsentConfig;
import io.sohbet.consent.repository.Database;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.devstack.whatsapp.CloudApiSimulator;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.FieldCipher;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.ConsentChange;
import io.sohbet.events.payload.WaInbound;
import io.sohbet.kit.Problem;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.sohbet.consent.Fixtures.IDS;
import static io.sohbet.consent.Fixtures.count;
import static io.sohbet.consent.Fixtures.grant;
import static io.sohbet.consent.Fixtures.officer;
import static io.sohbet.consent.Fixtures.sql;
import static io.sohbet.consent.Fixtures.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** The preference page: links, the page, changes through it, and who may do what (docs/preference-page.md). */
@QuarkusTest
class PreferencePageTest {

    static final String COOKIE = "sohbet_preferences";

    @Inject
    Pool pool;

    @Inject
    KeyVault keys;

    @Inject
    PreferenceLinks links;

    @Inject
    PreferencePage preferencePage;

    @Inject
    ConsentConfig config;

    @Inject
    Database database;

    /** A person with marketing granted (under the Fixtures notice) and contact details. */
    record Person(String phone, String subject) {

        static Person known(String name) {
            String phone = io.sohbet.consent.Fixtures.phone();
            given().auth().oauth2(officer()).contentType(ContentType.JSON).body(grant(phone, "marketing"))
                    .when().post("/api/consents").then().statusCode(201);
            given().auth().oauth2(officer()).contentType(ContentType.JSON)
                    .body("{\"phone\":\"" + phone + "\",\"name\":\"" + name + "\"}").when().put("/api/identities").then().statusCode(200);
            return new Person(phone, IDS.fromPhone(phone));
        }
    }

    static Response issue(String subject, String body) {
        return given().auth().oauth2(officer()).contentType(ContentType.JSON).body(body)
                .when().post("/api/subjects/" + subject + "/preference-links");
    }

    /** The path of a new link for the person (the test server's port is not the configured base URL's). */
    static String link(Person person, String language) {
        String url = issue(person.subject(), "{\"language\":\"" + language + "\"}").then().statusCode(201)
                .extract().path("url");
        return URI.create(url).getPath();
    }

    /**
     * The path of a new link the person asked for themselves (the keyword's issuer, {@link PreferenceLinks#BY_THE_PERSON}):
     * only such a link grants.
     */
    static String selfLink(Person person, String language) throws Throwable {
        PreferenceLinks links = Arc.container().instance(PreferenceLinks.class).get();
        Database database = Arc.container().instance(Database.class).get();
        SelfServiceKeywords.Language asked = "en".equals(language) ? SelfServiceKeywords.Language.ENGLISH : SelfServiceKeywords.Language.TURKISH;
        return VertxContextSupport.subscribeAndAwait(() -> database.inTransaction(() ->
                links.issue(person.subject(), asked, PreferenceLinks.BY_THE_PERSON))).url().getPath();
    }

    /** The headers every page is sent with: not cached, no referrer, no framing, forms to this origin only, no sniffing. */
    static Response secured(Response response) {
        response.then().header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer")
                .header("X-Content-Type-Options", "nosniff").header("X-Frame-Options", "DENY")
                .header("Strict-Transport-Security", containsString("max-age="))
                .header("Content-Security-Policy", allOf(containsString("frame-ancestors 'none'"), containsString("form-action 'self'"),
                        containsString("default-src 'none'")));
        return response;
    }

    /** An opened page: its session cookie and parsed HTML. */
    record Page(String cookie, Document html) {

        String csrf() {
            return html.selectFirst("input[name=csrf]").attr("value");
        }

        Element purpose(String key) {
            return html.getElementById("purpose-" + key);
        }
    }

    /** The user agent the tests' browser says (looked for where it must not be). */
    static final String USER_AGENT = "TercihTarayici/1.0 (test)";

    /**
     * Opens a link as a browser does: its {@code GET} shows only the open button and leaves the link usable; the
     * button's {@code POST} uses it, sets the session cookie and sends the browser to the page.
     */
    static Page open(String path) {
        Response offer = secured(given().header("User-Agent", USER_AGENT).when().get(path));
        offer.then().statusCode(200).contentType(ContentType.HTML);
        Document button = Jsoup.parse(offer.asString());
        assertThat(button.selectFirst("form#open").attr("method")).isEqualTo("post");
        assertThat(button.selectFirst("form#open").attr("action")).isEqualTo(path);
        assertThat(button.select("input[name=csrf], fieldset")).as("no purpose before the link is opened").isEmpty();
        secured(given().when().head(path)).then().statusCode(200);
        Response response = secured(given().redirects().follow(false).header("User-Agent", USER_AGENT)
                .contentType(ContentType.URLENC).formParam("lang", button.selectFirst("input[name=lang]").attr("value"))
                .when().post(path));
        response.then().statusCode(303);
        URI page = URI.create(response.getHeader("Location"));
        assertThat(page.getPath()).isEqualTo("/preferences");
        String setCookie = response.getHeader("Set-Cookie");
        assertThat(setCookie).contains("; HttpOnly").contains("; SameSite=Strict").contains("; Path=/preferences")
                .as("the test's base URL and request are plain http").doesNotContain("Secure");
        java.util.regex.Matcher maxAge = java.util.regex.Pattern.compile("; Max-Age=(\\d+)").matcher(setCookie);
        assertThat(maxAge.find()).isTrue();
        assertThat(Long.parseLong(maxAge.group(1))).as("the session's 30 min at most").isBetween(1L, 1800L);
        return show(response.getCookie(COOKIE), "?" + page.getQuery());
    }

    static Page show(String cookie, String query) {
        String html = given().cookie(COOKIE, cookie).when().get("/preferences" + query).then().statusCode(200)
                .contentType(ContentType.HTML).extract().asString();
        return new Page(cookie, Jsoup.parse(html));
    }

    static Response post(Page page, String csrf, String purpose, String action) {
        return given().redirects().follow(false).cookie(COOKIE, page.cookie()).contentType(ContentType.URLENC)
                .formParam("csrf", csrf).formParam("purpose", purpose).formParam("action", action).formParam("lang", "tr")
                .when().post("/preferences");
    }

    static Map<String, Object> current(String subject, String purpose) {
        List<Map<String, Object>> current = given().auth().oauth2(officer()).when().get("/api/consents/" + subject)
                .then().statusCode(200).extract().jsonPath().getList("current");
        return current.stream().filter(c -> purpose.equals(c.get("purpose"))).findFirst().orElseThrow();
    }

    @Test
    void aLinkOpensOnceShowsEachPurposeWithItsNoticeVersionAndWithdrawsThroughTheLedger() throws Throwable {
        Person person = Person.known("Ayşe Tercih");
        String path = selfLink(person, "tr");
        String token = path.substring("/preferences/".length());
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        // only the token's hash is stored
        assertThat(count(pool, "SELECT count(*) FROM preference_link WHERE token_hash = $1", token)).isZero();
        assertThat(count(pool, "SELECT count(*) FROM preference_link WHERE token_hash = $1 AND subject_id = $2",
                PreferenceLinks.sha256(token), person.subject())).isOne();

        // a HEAD (a link checker, a preview fetch) says the link would open and leaves it usable
        secured(given().when().head(path)).then().statusCode(200);
        secured(given().when().head("/preferences/" + "x".repeat(43))).then().statusCode(404);
        Page page = open(path);
        secured(given().when().head(path)).then().statusCode(410);
        assertThat(page.html().selectFirst("html").attr("lang")).isEqualTo("tr");
        assertThat(page.html().select("fieldset legend").eachText())
                .containsExactly("Pazarlama mesajları", "Analiz", "Profilleme ve kişiselleştirme");
        Element marketing = page.purpose("marketing");
        assertThat(marketing.selectFirst("dd.state").text()).isEqualTo("izin verildi");
        assertThat(marketing.selectFirst("dd.notice").text()).isEqualTo("kvkk-aydinlatma 2026-01");
        assertThat(marketing.selectFirst("button#withdraw-marketing")).isNotNull();
        assertThat(page.purpose("analytics").selectFirst("dd.state").text()).isEqualTo("verilmedi");
        assertThat(page.html().select("script")).as("no JavaScript").isEmpty();
        assertThat(page.html().select("link[rel=stylesheet]").eachAttr("href")).containsExactly("/assets/preferences.css");
        given().when().get("/assets/preferences.css").then().statusCode(200).contentType("text/css")
                .header("X-Content-Type-Options", "nosniff").header("Cache-Control", org.hamcrest.Matchers.not(containsString("no-store")));

        // used: a second open is gone, and says nothing about anyone
        String again = secured(given().when().get(path)).then().statusCode(410).contentType(ContentType.HTML).extract().asString();
        assertThat(again).doesNotContain("Ayşe").contains("TERCİHLERİM");
        secured(given().redirects().follow(false).contentType(ContentType.URLENC).formParam("lang", "tr").when().post(path))
                .then().statusCode(410).header("Set-Cookie", org.hamcrest.Matchers.nullValue());
        given().redirects().follow(false).contentType(ContentType.URLENC).when().post("/preferences/" + "x".repeat(43))
                .then().statusCode(404);

        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.CONSENT_CHANGE)) {
            post(page, page.csrf(), "marketing", "withdraw").then().statusCode(303)
                    .header("Location", org.hamcrest.Matchers.endsWith("/preferences?lang=tr&done=marketing"));
            // the grant made before (Person.known) may reach the topic after the watch began: the withdrawal is awaited
            CloudEvent change = kafka.await(1, r -> person.subject().equals(r.key())
                    && "revoked".equals(r.value().dataAs(ConsentChange.class).state()), Duration.ofSeconds(20)).get(0).value();
            ConsentChange payload = change.dataAs(ConsentChange.class);
            assertThat(payload.purpose()).isEqualTo("marketing");
            assertThat(payload.state()).isEqualTo("revoked");
            assertThat(payload.source()).isEqualTo("preference-page");
        }
        long linkId = sql(pool, "SELECT id FROM preference_link WHERE subject_id = $1", person.subject()).iterator().next().getLong(0);
        Map<String, Object> entry = current(person.subject(), "marketing");
        assertThat(entry).containsEntry("state", "revoked").containsEntry("source", "preference-page")
                .containsEntry("recordedBy", "preference-link:" + linkId).containsEntry("evidence", true);
        assertThat(count(pool, "SELECT count(*) FROM audit_entry WHERE action = 'consent.revoked' AND actor = $1",
                "preference-link:" + linkId)).isOne();
        assertThat(count(pool, "SELECT count(*) FROM audit_entry WHERE action IN ('preference-link.issued', 'preference-link.opened') "
                + "AND details ~ $1", "\"link\":" + linkId + "[,}]")).isEqualTo(2);
        // the audit log is kept for good: the opened entry holds the link, not the browser's user agent
        assertThat(sql(pool, "SELECT details::text FROM audit_entry WHERE action = 'preference-link.opened' AND details ~ $1",
                "\"link\":" + linkId + "[,}]")).extracting((Row r) -> r.getString(0))
                .singleElement().asString().doesNotContainIgnoringCase("agent").doesNotContain(USER_AGENT);

        Page after = show(page.cookie(), "?done=marketing");
        assertThat(after.purpose("marketing").selectFirst("dd.state").text()).isEqualTo("geri çekildi");
        assertThat(after.html().selectFirst("p[role=status]").text()).contains("Pazarlama mesajları");
        // granted again, under the configured notice
        post(after, after.csrf(), "marketing", "grant").then().statusCode(303);
        assertThat(current(person.subject(), "marketing")).containsEntry("state", "granted")
                .containsEntry("noticeId", "pazarlama-acik-riza").containsEntry("noticeVersion", "2026-11");
        assertThat(show(page.cookie(), "").purpose("marketing").selectFirst("dd.notice").text()).isEqualTo("pazarlama-acik-riza 2026-11");
        // the proof of what was shown: the notice's hash; reported to İYS as a web consent
        assertThat(sql(pool, "SELECT notice_sha256 FROM consent_record WHERE subject_id = $1 AND source = 'preference-page' "
                + "AND state = 'granted'", person.subject())).extracting((Row r) -> r.getString(0))
                .containsExactly("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
        assertThat(config.iys().sources()).containsEntry(io.sohbet.consent.service.PreferencePage.SOURCE, "HS_WEB");
    }

    @Test
    void aPurposeWithoutAConfiguredNoticeCannotBeGrantedAndTheLanguageSwitches() throws Throwable {
        Person person = Person.known("Mehmet Dil");
        Page page = open(selfLink(person, "en"));
        assertThat(page.html().selectFirst("html").attr("lang")).isEqualTo("en");
        assertThat(page.html().selectFirst("h1").text()).isEqualTo("Your consent preferences");
        Element analytics = page.purpose("analytics");
        // analytics has a notice configured without a url (application.properties, %test): none the person can read
        assertThat(analytics.selectFirst("button")).as("no grant without a notice").isNull();
        assertThat(analytics.selectFirst(".no-notice").text()).contains("no notice is configured");
        post(page, page.csrf(), "analytics", "grant").then().statusCode(409).contentType(ContentType.HTML);
        assertThat(given().auth().oauth2(officer()).when().get("/api/consents/" + person.subject()).then().statusCode(200)
                .extract().jsonPath().getList("history")).hasSize(1);

        Page turkish = show(page.cookie(), "?lang=tr");
        assertThat(turkish.html().selectFirst("html").attr("lang")).isEqualTo("tr");
        assertThat(turkish.html().selectFirst("h1").text()).isEqualTo("İzin tercihleriniz");
        assertThat(turkish.html().selectFirst("a[hreflang=en]").attr("href")).isEqualTo("/preferences?lang=en");
    }

    @Test
    void aFormWithoutTheSessionsCsrfTokenBadInputAndEndedSessionsAreRefused() throws Throwable {
        Person person = Person.known("Can Güvenlik");
        Page page = open(link(person, "tr"));
        Page other = open(link(Person.known("Başka Kişi"), "tr"));

        post(page, "forged", "marketing", "withdraw").then().statusCode(403).contentType(ContentType.HTML);
        post(page, other.csrf(), "marketing", "withdraw").then().statusCode(403);
        given().redirects().follow(false).cookie(COOKIE, page.cookie()).contentType(ContentType.URLENC)
                .formParam("purpose", "marketing").formParam("action", "withdraw").when().post("/preferences").then().statusCode(403);
        assertThat(current(person.subject(), "marketing")).containsEntry("state", "granted");

        post(page, page.csrf(), "everything", "withdraw").then().statusCode(400).contentType(ContentType.HTML);
        post(page, page.csrf(), "marketing", "delete").then().statusCode(400);
        given().redirects().follow(false).cookie(COOKIE, page.cookie()).contentType(ContentType.URLENC).accept(ContentType.JSON)
                .formParam("csrf", page.csrf()).formParam("purpose", "x").formParam("action", "withdraw")
                .when().post("/preferences").then().statusCode(400).contentType(Problem.MEDIA_TYPE).body("status", equalTo(400));
        given().redirects().follow(false).cookie(COOKIE, page.cookie()).contentType(ContentType.URLENC)
                .formParam("csrf", page.csrf()).formParam("purpose", "marketing").formParam("action", "withdraw")
                .formParam("lang", "<script>").when().post("/preferences").then().statusCode(400);

        // no session, a made-up one, an ended one
        given().when().get("/preferences").then().statusCode(410).contentType(ContentType.HTML);
        given().cookie(COOKIE, "A".repeat(43)).when().get("/preferences").then().statusCode(410);
        given().redirects().follow(false).contentType(ContentType.URLENC).formParam("csrf", page.csrf())
                .formParam("purpose", "marketing").formParam("action", "withdraw").when().post("/preferences").then().statusCode(410);
        sql(pool, "UPDATE preference_link SET session_expires_at = now() - interval '1 second' WHERE subject_id = $1", person.subject());
        post(page, page.csrf(), "marketing", "withdraw").then().statusCode(410);
        assertThat(current(person.subject(), "marketing")).containsEntry("state", "granted");
    }

    @Test
    void unknownExpiredAndRevokedLinksAreGoneWithoutDetail() throws Throwable {
        secured(given().when().get("/preferences/" + "x".repeat(43))).then().statusCode(404).contentType(ContentType.HTML);
        given().when().get("/preferences/short").then().statusCode(404);
        given().when().get("/preferences/%3Cscript%3E").then().statusCode(404);
        // the framework's own answers carry the page's headers too: no such path, a method the page does not have
        secured(given().when().get("/preferences/a/b")).then().statusCode(404);
        secured(given().when().delete("/preferences")).then().statusCode(405);
        Person person = Person.known("Eski Bağlantı");
        String expired = link(person, "tr");
        String revoked = link(person, "tr");
        sql(pool, "UPDATE preference_link SET expires_at = now() - interval '1 second' WHERE token_hash = $1",
                PreferenceLinks.sha256(expired.substring("/preferences/".length())));
        sql(pool, "UPDATE preference_link SET revoked_at = now() WHERE token_hash = $1",
                PreferenceLinks.sha256(revoked.substring("/preferences/".length())));
        String gone = secured(given().when().get(expired)).then().statusCode(410).extract().asString();
        given().when().get(revoked).then().statusCode(410);
        assertThat(Jsoup.parse(gone).selectFirst("html").attr("lang")).isEqualTo("tr");
        assertThat(gone).doesNotContain("Eski");
    }

    @Test
    void aLinkIssuedByAnOfficerOnlyWithdraws() throws Throwable {
        Person person = Person.known("Yetkili Bağlantı");
        Page page = open(link(person, "en"));
        assertThat(page.purpose("marketing").selectFirst("button#withdraw-marketing")).isNotNull();
        Element profiling = page.purpose("profiling");
        assertThat(profiling.selectFirst("button")).isNull();
        assertThat(profiling.selectFirst(".withdraw-only").text()).contains("only withdraw").contains("PREFERENCES on WhatsApp");
        post(page, page.csrf(), "marketing", "withdraw").then().statusCode(303);

        Page after = show(page.cookie(), "?lang=tr");
        Element marketing = after.purpose("marketing");
        assertThat(marketing.selectFirst("dd.state").text()).isEqualTo("geri çekildi");
        assertThat(marketing.selectFirst("button")).as("the officer holds the link: no grant through it").isNull();
        assertThat(marketing.selectFirst(".withdraw-only").text()).contains("TERCİHLERİM");
        // a forged grant is refused, though marketing has a notice
        post(after, after.csrf(), "marketing", "grant").then().statusCode(409).contentType(ContentType.HTML);
        given().redirects().follow(false).cookie(COOKIE, page.cookie()).contentType(ContentType.URLENC).accept(ContentType.JSON)
                .formParam("csrf", page.csrf()).formParam("purpose", "marketing").formParam("action", "grant")
                .when().post("/preferences").then().statusCode(409).contentType(Problem.MEDIA_TYPE);
        assertThat(current(person.subject(), "marketing")).containsEntry("state", "revoked");
    }

    @Test
    void aNewLinkRevokesThePersonsEarlierUnopenedLinks() throws Throwable {
        Person person = Person.known("Yeni Bağlantı");
        Page opened = open(link(person, "tr"));
        String earlier = link(person, "tr");
        String latest = selfLink(person, "tr");
        assertThat(sql(pool, "SELECT token_hash FROM preference_link WHERE subject_id = $1 AND revoked_at IS NOT NULL", person.subject()))
                .extracting((Row r) -> r.getString(0)).containsExactly(PreferenceLinks.sha256(earlier.substring("/preferences/".length())));
        secured(given().when().get(earlier)).then().statusCode(410);
        // an open session runs on until it ends; the newest link opens
        show(opened.cookie(), "");
        assertThat(open(latest).purpose("marketing").selectFirst("dd.state").text()).isEqualTo("izin verildi");
        assertThat(count(pool, "SELECT count(*) FROM audit_entry WHERE action = 'preference-link.issued' AND details LIKE $1",
                "%\"revokedEarlier\":1%")).isPositive();
    }

    @Test
    void theAdminRouteNeedsAPrivacyOfficerChecksItsInputAndIsAudited() throws Throwable {
        Person person = Person.known("Destek Talebi");
        given().contentType(ContentType.JSON).body("{}").when().post("/api/subjects/" + person.subject() + "/preference-links")
                .then().statusCode(401);
        given().auth().oauth2(token("mert", "marketer")).contentType(ContentType.JSON).body("{}")
                .when().post("/api/subjects/" + person.subject() + "/preference-links").then().statusCode(403);
        issue(person.subject(), "{\"language\":\"de\"}").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        issue("not a subject", "{}").then().statusCode(400);
        issue("unknownsubject0123456789", "{}").then().statusCode(404).contentType(Problem.MEDIA_TYPE);
        Response issued = issue(person.subject(), "{}");
        issued.then().statusCode(201).body("url", org.hamcrest.Matchers.startsWith("http://localhost:8081/preferences/"));
        assertThat(issued.getHeader("Location")).isEqualTo(issued.jsonPath().getString("url"));
        assertThat(count(pool, "SELECT count(*) FROM audit_entry WHERE action = 'preference-link.issued' AND actor = 'zeynep' "
                + "AND details ~ $1", "\"link\":" + issued.jsonPath().getLong("id") + "[,}]")).isOne();
        assertThat(count(pool, "SELECT count(*) FROM audit_entry WHERE details LIKE $1",
                "%" + issued.jsonPath().getString("url").substring("http://localhost:8081/preferences/".length()) + "%"))
                .as("the token is in no audit entry").isZero();
    }

    @Test
    void anErasureDeletesThePersonsLinksAndEndsTheirSession() throws Throwable {
        Person person = Person.known("Silinecek Kişi");
        Page page = open(link(person, "tr"));
        link(person, "en");
        assertThat(count(pool, "SELECT count(*) FROM preference_link WHERE subject_id = $1", person.subject())).isEqualTo(2);
        // a change whose session was checked just before the erasure (the race): refused under the erasure lock
        PreferenceLink checked = VertxContextSupport.subscribeAndAwait(() -> links.session(page.cookie()));
        assertThat(checked).isNotNull();
        given().auth().oauth2(officer()).contentType(ContentType.JSON).body("{\"type\":\"erasure\",\"phone\":\"" + person.phone() + "\"}")
                .when().post("/api/dsr").then().statusCode(202);
        long entries = count(pool, "SELECT count(*) FROM consent_record WHERE subject_id = $1", person.subject());
        assertThatThrownBy(() -> VertxContextSupport.subscribeAndAwait(() -> preferencePage.change(checked, "marketing", false, USER_AGENT, "127.0.0.1")))
                .isInstanceOf(PreferenceLinks.LinkRefusedException.class);
        assertThatThrownBy(() -> VertxContextSupport.subscribeAndAwait(() -> database.inTransaction(() ->
                links.issue(person.subject(), SelfServiceKeywords.Language.TURKISH, "whatsapp"))))
                .isInstanceOf(UnknownSubjectException.class);
        assertThat(count(pool, "SELECT count(*) FROM consent_record WHERE subject_id = $1", person.subject())).as("nothing written").isEqualTo(entries);
        assertThat(count(pool, "SELECT count(*) FROM subject_key WHERE subject_id = $1", person.subject())).as("no new key").isZero();
        assertThat(count(pool, "SELECT count(*) FROM preference_link WHERE subject_id = $1", person.subject())).isZero();
        given().cookie(COOKIE, page.cookie()).when().get("/preferences").then().statusCode(410);
        assertThat(count(pool, "SELECT count(*) FROM audit_entry WHERE action = 'kvkk.destruction' AND details LIKE $1",
                "%\"dataset\":\"preference_link\",%\"records\":2,%")).isOne();
    }

    @Test
    void thePreferencesKeywordIsAnsweredWithAWorkingLinkInItsLanguage() throws Throwable {
        Person person = Person.known("Kelime Soran");
        String waId = IDS.normalise(person.phone()).substring(1);
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            kafka.send(Topics.WA_INBOUND, person.subject(), says(person, "Tercihlerim"));
            List<CloudApiSimulator.Sent> sent = awaitSent(waId);
            String body = sent.get(0).body().path("text").path("body").asText();
            assertThat(body).startsWith("İzinlerinizi görebileceğiniz").contains("http://localhost:8081/preferences/");
            String url = body.substring(body.indexOf("http://")).split("\\s")[0];
            Page page = open(URI.create(url).getPath());
            assertThat(page.html().selectFirst("html").attr("lang")).isEqualTo("tr");

            kafka.send(Topics.WA_INBOUND, person.subject(), says(person, "my preferences"));
            String english = awaitSent(waId, 2).get(1).body().path("text").path("body").asText();
            assertThat(english).startsWith("Your preference page");
        }
        assertThat(sql(pool, "SELECT command, outcome FROM self_service_message WHERE subject_id = $1", person.subject()))
                .extracting((Row r) -> r.getString("command") + ":" + r.getString("outcome"))
                .containsExactly("preferences:answered", "preferences:answered");
        assertThat(sql(pool, "SELECT language, issued_by FROM preference_link WHERE subject_id = $1 ORDER BY id", person.subject()))
                .extracting((Row r) -> r.getString("language") + "/" + r.getString("issued_by"))
                .containsExactly("TURKISH/whatsapp", "ENGLISH/whatsapp");
    }

    CloudEvent says(Person person, String text) throws Throwable {
        byte[] key = VertxContextSupport.subscribeAndAwait(() -> keys.getOrCreate(Set.of(person.subject()))).get(person.subject());
        String wamid = "mid_" + UUID.randomUUID();
        WaInbound message = new WaInbound(wamid, "pn", Instant.now().truncatedTo(ChronoUnit.SECONDS), "text", "text", null,
                FieldCipher.encrypt(key, person.subject(), text), text.length(), null, null, null, null, null, null, null, false,
                null, null, null, null, List.of());
        return CloudEvent.of(Topics.WA_INBOUND, "wa.inbound:" + wamid, "/sohbet/webhook-service", Instant.now(), person.subject(), message);
    }

    static List<CloudApiSimulator.Sent> awaitSent(String waId) throws InterruptedException {
        return awaitSent(waId, 1);
    }

    static List<CloudApiSimulator.Sent> awaitSent(String waId, int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        List<CloudApiSimulator.Sent> sent;
        do {
            sent = CloudApiStandIn.simulator().sent().stream().filter(m -> m.to().equals(waId)).toList();
            if (sent.size() >= count) {
                return sent;
            }
            Thread.sleep(100);
        } while (System.currentTimeMillis() < deadline);
        throw new AssertionError("expected " + count + " messages to " + waId + ", got " + sent.size());
    }
}
