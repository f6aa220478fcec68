package io.sohbet.campaign;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.sohbet.devstack.ChildProcess;
import io.sohbet.devstack.Ports;
import io.sohbet.devstack.SohbetTestResource;

import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged campaign-service ({@code target/quarkus-app}) as real processes, for the tests that kill it or run
 * several replicas: the real PostgreSQL (a database of the test's own) and Kafka, the wiremock OIDC server, the peer
 * stand-ins and the Cloud API simulator.
 */
public final class ServiceProcesses implements AutoCloseable {

    private final List<QuarkusTestResourceLifecycleManager> resources = new ArrayList<>();
    private final Map<String, String> config = new HashMap<>();

    public ServiceProcesses(String database) {
        SohbetTestResource postgresAndKafka = new SohbetTestResource();
        postgresAndKafka.init(Map.of(SohbetTestResource.DATABASE, database));
        resources.addAll(List.of(postgresAndKafka, new OidcWiremockTestResource(), new PeerStandIns()));
        resources.forEach(r -> config.putAll(r.start()));
    }

    /** Starts one replica on {@code port} with these settings on top of the test ones; returns once it serves. */
    public ChildProcess start(int port, String name, Map<String, String> settings) throws Exception {
        Map<String, String> props = new HashMap<>(config);
        String keycloak = props.remove("keycloak.url");
        props.put("quarkus.oidc.auth-server-url", keycloak + "/realms/quarkus/");
        props.put("quarkus.oidc-client.credentials.secret", "unused-the-peers-are-stand-ins");
        props.put("quarkus.oidc-client.auth-server-url", keycloak + "/realms/quarkus/");
        props.put("quarkus.http.port", String.valueOf(port));
        props.put("quarkus.management.port", String.valueOf(Ports.free()));
        props.put("sohbet.campaign.links.secret", "process-test-link-secret-0123456789");
        props.put("sohbet.campaign.message-id-key", "process-test-message-id-key-0123456789");
        props.putAll(settings);
        ChildProcess process = ChildProcess.packaged("campaign-service", name, props, Duration.ofSeconds(60));
        awaitUnauthorised("http://localhost:" + port + "/api/campaigns");
        return process;
    }

    static void awaitUnauthorised(String url) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
                if (c.getResponseCode() == 401) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(url + " not ready");
    }

    @Override
    public void close() {
        resources.forEach(QuarkusTestResourceLifecycleManager::stop);
    }
}
