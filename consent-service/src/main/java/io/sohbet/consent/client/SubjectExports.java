package io.sohbet.consent.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.config.ConsentConfig;
import io.sohbet.kit.ServiceTokens;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** Asks the other services what they hold on a subject ({@code sohbet.consent.export-endpoints}: service → URL). */
@ApplicationScoped
public class SubjectExports {

    private final Map<String, SubjectExportApi> clients = new TreeMap<>();
    private final ServiceTokens tokens;

    public SubjectExports(ConsentConfig config, ServiceTokens tokens) {
        this.tokens = tokens;
        config.exportEndpoints().forEach((service, url) -> clients.put(service, QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(url)).connectTimeout(2, TimeUnit.SECONDS).readTimeout(15, TimeUnit.SECONDS)
                .build(SubjectExportApi.class)));
    }

    /** The services asked, in name order. */
    public java.util.Set<String> services() {
        return clients.keySet();
    }

    /** One service's export of the subject, retried twice with backoff. */
    public Uni<JsonNode> export(String service, String subjectId) {
        return tokens.authorization().flatMap(bearer -> clients.get(service).export(bearer, subjectId))
                .onFailure().retry().withBackOff(Duration.ofMillis(300), Duration.ofSeconds(3)).atMost(2);
    }
}
