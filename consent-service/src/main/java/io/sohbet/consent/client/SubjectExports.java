package io.sohbet.consent.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.config.ConsentConfig;
import io.sohbet.kit.ServiceTokens;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** Asks the other services what they hold on a subject ({@code sohbet.consent.export-endpoints}: service → URL). */
@ApplicationScoped
public class SubjectExports {

    private final Map<String, SubjectExportApi> clients = new TreeMap<>();
    private final ServiceTokens tokens;

    public SubjectExports(ConsentConfig config, ServiceTokens tokens, TlsConfigurationRegistry tls) {
        this.tokens = tokens;
        Optional<TlsConfiguration> trust = config.exportTlsConfigurationName().map(name -> tls.get(name)
                .orElseThrow(() -> new IllegalStateException("no TLS configuration quarkus.tls." + name)));
        config.exportEndpoints().forEach((service, url) -> {
            QuarkusRestClientBuilder builder = QuarkusRestClientBuilder.newBuilder().baseUri(URI.create(url))
                    .connectTimeout(2, TimeUnit.SECONDS).readTimeout(15, TimeUnit.SECONDS);
            trust.ifPresent(builder::tlsConfiguration);
            clients.put(service, builder.build(SubjectExportApi.class));
        });
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
