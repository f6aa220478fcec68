package io.sohbet.webhook.client;

import io.smallrye.mutiny.Uni;
import io.sohbet.kit.ServiceTokens;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which subject a webhook's identifiers belong to, asked of consent-service ({@link IdentifierLinkApi}) in batches of
 * at most 1000 keyed hashes. Bounded in time: a webhook never waits long for it (consent-service down or slow means
 * today's derivation, decided by the caller), and after repeated failures the breaker opens so that deliveries stop
 * paying the timeout until consent-service answers again.
 */
@ApplicationScoped
public class IdentifierLinks {

    static final int MAX_PER_CALL = 1000;

    private final IdentifierLinkApi api;
    private final ServiceTokens tokens;

    public IdentifierLinks(@RestClient IdentifierLinkApi api, ServiceTokens tokens) {
        this.api = api;
        this.tokens = tokens;
    }

    /** keyed hash → subject id for the linked ones among {@code hashes}; fails when consent-service does not answer. */
    @Timeout(value = 500, unit = ChronoUnit.MILLIS)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS)
    public Uni<Map<String, String>> lookUp(Set<String> hashes) {
        List<Set<String>> batches = new ArrayList<>();
        Set<String> batch = new java.util.HashSet<>();
        for (String hash : hashes) {
            batch.add(hash);
            if (batch.size() == MAX_PER_CALL) {
                batches.add(batch);
                batch = new java.util.HashSet<>();
            }
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        return tokens.authorization().flatMap(bearer -> {
            List<Uni<Map<String, String>>> calls = batches.stream()
                    .map(b -> api.resolve(bearer, new IdentifierLinkApi.Request(b)).map(r -> r.subjects() == null
                            ? Map.<String, String>of() : r.subjects())).toList();
            return calls.size() == 1 ? calls.get(0) : Uni.join().all(calls).andFailFast().map(parts -> {
                Map<String, String> all = new HashMap<>();
                parts.forEach(all::putAll);
                return all;
            });
        });
    }
}
