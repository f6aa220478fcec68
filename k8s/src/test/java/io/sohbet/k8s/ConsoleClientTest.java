package io.sohbet.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's Keycloak client for a chart deployment ({@code keycloak/sohbet-console-client.json}, imported with
 * {@code kcadm.sh} as the README's "Deployment with Helm" says) is the local realm's {@code sohbet-console} (devstack's
 * {@code sohbet-realm.json}, which console-service's and e2e's tests sign in through) but for the console's own host
 * and no secret: the same flows, PKCE, audience mappers and client id as the chart's default.
 */
class ConsoleClientTest {

    static final Path CLIENT = RenderedChart.CHART.resolve("keycloak/sohbet-console-client.json");
    static final Path LOCAL_REALM = RenderedChart.CHART.resolve("../devstack/src/main/resources/local/sohbet-realm.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theChartsConsoleClientIsTheLocalRealmsForTheConsolesHost() throws IOException {
        JsonNode client = JSON.readTree(CLIENT.toFile());
        JsonNode reference = null;
        for (JsonNode c : JSON.readTree(LOCAL_REALM.toFile()).path("clients")) {
            if (c.path("clientId").asText().equals("sohbet-console")) {
                reference = c;
            }
        }
        assertThat(reference).as("sohbet-console in the local realm").isNotNull();
        JsonNode values = new ObjectMapper(new YAMLFactory()).readTree(RenderedChart.CHART.resolve("values.yaml").toFile());

        assertThat(client.path("clientId").asText()).isEqualTo(values.path("console").path("client").path("clientId").asText())
                .isEqualTo(reference.path("clientId").asText());
        for (String field : List.of("enabled", "protocol", "publicClient", "standardFlowEnabled", "implicitFlowEnabled",
                "directAccessGrantsEnabled", "serviceAccountsEnabled", "webOrigins", "protocolMappers")) {
            assertThat(client.path(field)).as(field).isEqualTo(reference.path(field));
        }
        assertThat(client.path("publicClient").asBoolean(true)).isFalse();
        assertThat(client.path("attributes").path("pkce.code.challenge.method").asText()).isEqualTo("S256");
        // only the console's own host: no wildcard host, no plain http, no localhost
        assertThat(client.path("redirectUris")).hasSize(1);
        assertThat(client.path("redirectUris").get(0).asText()).isEqualTo("https://CONSOLE_HOST/*");
        assertThat(client.path("attributes").path("post.logout.redirect.uris").asText()).isEqualTo("https://CONSOLE_HOST/*");
        // Keycloak makes the secret; it goes into the Secret the chart reads (console.client.secret)
        assertThat(client.has("secret")).isFalse();
        assertThat(client.path("protocolMappers").findValuesAsText("included.client.audience"))
                .containsExactlyInAnyOrder("sohbet-consent", "sohbet-metrics", "sohbet-segment", "sohbet-campaign");
    }
}
