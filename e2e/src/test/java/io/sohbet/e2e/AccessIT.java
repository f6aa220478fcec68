package io.sohbet.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sohbet.devstack.Suite;
import io.sohbet.devstack.demo.Api;
import io.sohbet.devstack.whatsapp.CloudApiSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each service's own identity on the real Keycloak with the local realm: the tokens Keycloak issues carry what the
 * services check (audience, {@code typ}, {@code azp}, roles), the legitimate calls between services work, and another
 * client's token, a token without the audience, an ID token and a service calling an operation that is not its own
 * are refused, each with one log line that names the operation and the client and nothing about a person.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccessIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final String SUBJECT = "AccessItSubject0000000001";
    static final Map<String, Object> RESOLVE = Map.of("purpose", "marketing", "subjectIds", List.of(SUBJECT));
    static final Map<String, Object> SUBJECTS = Map.of("subjectIds", List.of(SUBJECT));
    static Suite suite;
    static Path logs;

    @BeforeAll
    static void start() throws IOException {
        Path root = Path.of(System.getProperty("sohbet.root", ".."));
        Path data = root.resolve("e2e/target/access-suite");
        JourneyIT.deleteTree(data);
        logs = data.resolve("logs");
        suite = Suite.start(new Suite.Options(root, data, Path.of(System.getProperty("sohbet.keycloak.folder", data.toString())),
                Map.of(), CloudApiSimulator.Config.local(null), Map.of()));
    }

    @AfterAll
    static void stop() {
        if (suite != null) {
            suite.close();
        }
    }

    static String url(String service) {
        return suite.service(service).url();
    }

    static JsonNode claims(String jwt) throws IOException {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    @Test
    @Order(1)
    void keycloakIssuesWhatTheServicesCheck() throws Exception {
        JsonNode webhook = claims(suite.serviceToken("webhook-service"));
        assertThat(webhook.path("typ").asText()).isEqualTo("Bearer");
        assertThat(webhook.path("azp").asText()).isEqualTo("sohbet-webhook");
        assertThat(webhook.path("aud").toString()).contains("sohbet-consent").doesNotContain("sohbet-metrics", "sohbet-segment");
        assertThat(webhook.path("resource_access").path("sohbet-consent").path("roles").toString())
                .contains("subject-keys:create", "subject-erasures:read", "identifiers:resolve").doesNotContain("contacts:resolve", "subject-keys:read");
        // campaign-service checks erasures and resolves contacts: it is given no data key
        assertThat(claims(suite.serviceToken("campaign-service")).path("resource_access").path("sohbet-consent").path("roles").toString())
                .contains("contacts:resolve", "subject-erasures:read").doesNotContain("subject-keys");
        JsonNode consent = claims(suite.serviceToken("consent-service"));
        assertThat(consent.path("aud").toString()).contains("sohbet-metrics", "sohbet-segment", "sohbet-campaign");
        JsonNode marketer = claims(suite.token("marketer"));
        assertThat(marketer.path("typ").asText()).isEqualTo("Bearer");
        assertThat(marketer.path("aud").toString()).contains("sohbet-webhook", "sohbet-consent", "sohbet-metrics", "sohbet-segment",
                "sohbet-campaign");
        assertThat(marketer.path("realm_access").path("roles").toString()).contains("marketer");
        JsonNode partner = claims(partnerToken());
        assertThat(partner.path("aud").toString()).doesNotContain("sohbet-");
        assertThat(claims(idToken("privacy")).path("typ").asText()).isEqualTo("ID");
    }

    @Test
    @Order(2)
    void theCallsEachServiceNeedsAreAllowed() {
        Api webhookToConsent = new Api(url("consent-service"), () -> suite.serviceToken("webhook-service"));
        webhookToConsent.post("/internal/subject-keys", SUBJECTS).expect(200);
        for (String checker : List.of("webhook-service", "metrics-service", "segment-service", "campaign-service")) {
            new Api(url("consent-service"), () -> suite.serviceToken(checker)).post("/internal/subject-keys/erasures", SUBJECTS).expect(200);
        }
        for (String reader : List.of("metrics-service", "segment-service")) {
            new Api(url("consent-service"), () -> suite.serviceToken(reader)).post("/internal/subject-keys/find", SUBJECTS).expect(200);
        }
        Api campaign = new Api(url("consent-service"), () -> suite.serviceToken("campaign-service"));
        campaign.post("/internal/contacts/resolve", RESOLVE).expect(200);
        new Api(url("metrics-service"), () -> suite.serviceToken("campaign-service")).post("/internal/read-hours", SUBJECTS).expect(200);
        new Api(url("metrics-service"), () -> suite.serviceToken("campaign-service")).get("/api/metrics/read-times").expect(200);
        assertThat(new Api(url("segment-service"), () -> suite.serviceToken("campaign-service")).get("/api/segments/vip/members").status())
                .isNotIn(401, 403);
        for (String participant : List.of("metrics-service", "segment-service", "campaign-service")) {
            new Api(url(participant), () -> suite.serviceToken("consent-service")).get("/internal/subjects/" + SUBJECT + "/export")
                    .expect(200);
        }
        new Api(url("campaign-service"), () -> suite.token("marketer")).get("/api/campaigns").expect(200);
    }

    @Test
    @Order(3)
    void everyOtherTokenOrCallIsRefusedAndLoggedWithoutThePerson() throws Exception {
        String partner = partnerToken();
        String webhook = suite.serviceToken("webhook-service");
        String metrics = suite.serviceToken("metrics-service");
        // another client's token (allowed nowhere), anywhere
        assertThat(status("consent-service", "POST", "/internal/contacts/resolve", RESOLVE, partner)).isEqualTo(401);
        assertThat(status("campaign-service", "GET", "/api/campaigns", null, partner)).isEqualTo(401);
        // a token without the audience: metrics-service's is for consent-service only; a person's ID token
        assertThat(status("segment-service", "GET", "/internal/subjects/" + SUBJECT + "/export", null, metrics)).isEqualTo(401);
        assertThat(status("consent-service", "GET", "/api/dsr", null, idToken("privacy"))).isEqualTo(401);
        // webhook-service's real token on operations that are not its own
        assertThat(status("consent-service", "POST", "/internal/contacts/resolve", RESOLVE, webhook)).isEqualTo(403);
        assertThat(status("consent-service", "GET", "/api/dsr/" + "a".repeat(32) + "/export", null, webhook)).isEqualTo(403);
        assertThat(status("metrics-service", "GET", "/internal/subjects/" + SUBJECT + "/export", null, webhook)).isEqualTo(401);
        // a reader may find keys but not create them; an erasure checker gets no key at all
        assertThat(status("consent-service", "POST", "/internal/subject-keys", SUBJECTS, metrics)).isEqualTo(403);
        assertThat(status("consent-service", "POST", "/internal/subject-keys/find", SUBJECTS, suite.serviceToken("campaign-service")))
                .isEqualTo(403);
        assertThat(status("consent-service", "POST", "/internal/subject-keys/find", SUBJECTS, webhook)).isEqualTo(403);

        List<String> consent = refusals("consent-service", 5);
        assertThat(consent).anySatisfy(l -> assertThat(l).contains(
                "refused 401 ContactResolveResource.resolve: not issued for this service (audience) (client sohbet-partner-demo, unverified)"));
        assertThat(consent).anySatisfy(l -> assertThat(l).contains(
                "refused 401 DsrResource.list: not an access token (typ ID) (client sohbet-cli, unverified)"));
        assertThat(consent).anySatisfy(l -> assertThat(l).contains(
                "refused 403 ContactResolveResource.resolve: the caller has none of the operation's roles (client sohbet-webhook)"));
        assertThat(consent).anySatisfy(l -> assertThat(l).contains(
                "refused 403 DsrResource.export: the caller has none of the operation's roles (client sohbet-webhook)"));
        assertThat(consent).anySatisfy(l -> assertThat(l).contains(
                "refused 403 SubjectKeyResource.getOrCreate: the caller has none of the operation's roles (client sohbet-metrics)"));
        assertThat(refusals("campaign-service", 1)).anySatisfy(l -> assertThat(l).contains(
                "refused 401 CampaignResource.list: not issued for this service (audience) (client sohbet-partner-demo, unverified)"));
        assertThat(refusals("segment-service", 1)).anySatisfy(l -> assertThat(l).contains(
                "refused 401 SubjectExportResource.export: not issued for this service (audience) (client sohbet-metrics, unverified)"));
        assertThat(refusals("metrics-service", 1)).anySatisfy(l -> assertThat(l).contains(
                "refused 401 SubjectExportResource.export: not issued for this service (audience) (client sohbet-webhook, unverified)"));
        List<String> all = new ArrayList<>();
        for (String service : Suite.SERVICES) {
            all.addAll(refusals(service, 0));
        }
        assertThat(String.join("\n", all)).as("refusals name no person, subject or path")
                .doesNotContain("privacy", "marketer", SUBJECT, "a".repeat(32), "/internal", "/api");
    }

    /** The refusal lines of a service's log, once it has written at least {@code expected}. */
    static List<String> refusals(String service, int expected) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        List<String> lines;
        do {
            try (var all = Files.lines(logs.resolve(service + ".log"))) {
                lines = all.filter(l -> l.contains("Refusals] ") && l.contains(" refused ")).toList();
            }
            if (lines.size() >= expected) {
                return lines;
            }
            Thread.sleep(200);
        } while (System.currentTimeMillis() < deadline);
        throw new AssertionError(service + " logged " + lines.size() + " refusals, expected " + expected + ": " + lines);
    }

    static int status(String service, String method, String path, Object body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(service) + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        HttpResponse<String> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() == 401 || answer.statusCode() == 403) {
            assertThat(answer.headers().firstValue("Content-Type")).as(path).hasValueSatisfying(t -> assertThat(t)
                    .startsWith("application/problem+json"));
            assertThat(JSON.readTree(answer.body()).path("status").asInt()).isEqualTo(answer.statusCode());
        }
        return answer.statusCode();
    }

    static String partnerToken() {
        return suite.clientToken("sohbet-partner-demo", "local-partner-demo-secret");
    }

    /** A person's ID token (password grant with scope openid): for the CLI client, never for a service. */
    static String idToken(String user) throws Exception {
        String form = "grant_type=password&client_id=sohbet-cli&scope=openid&username=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(user, StandardCharsets.UTF_8);
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(suite.keycloakUrl() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body()).path("id_token").asText();
    }
}
