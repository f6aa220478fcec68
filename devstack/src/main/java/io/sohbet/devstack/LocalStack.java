package io.sohbet.devstack;

import io.sohbet.devstack.whatsapp.CloudApiSimulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Runs the whole suite on this machine: PostgreSQL (data kept under {@code .local/}), Kafka, Keycloak with the
 * {@code sohbet} realm, and the five services from their built {@code quarkus-app}. Ctrl-C stops everything;
 * a {@code kill -9} of this process stops everything too (every child watches its lifeline).
 *
 * <pre>java -cp 'devstack/target/classes:devstack/target/lib/*' io.sohbet.devstack.LocalStack [--demo]</pre>
 */
public final class LocalStack {

    static final int POSTGRES_PORT = 55432;
    static final int KAFKA_PORT = 59092;
    static final int KEYCLOAK_PORT = 8180;
    /** The WhatsApp Cloud API simulator, Meta's stand-in: campaign-service sends to it, it posts webhooks to us. */
    static final int CLOUD_API_PORT = 8090;
    static final String KEYCLOAK_VERSION = "26.7.3";

    /** Local ports, as in docs/architecture.md: HTTP 8081..8085, management 9081..9085. */
    record Service(String name, String database, int httpPort) {
        int managementPort() {
            return httpPort + 1000;
        }
    }

    static final List<Service> SERVICES = List.of(
            new Service("webhook-service", "webhook", 8081),
            new Service("consent-service", "consent", 8082),
            new Service("metrics-service", "metrics", 8083),
            new Service("segment-service", "segment", 8084),
            new Service("campaign-service", "campaign", 8085));

    private final Path root;
    private final Path data;
    /** PostgreSQL, Kafka and Keycloak, in start order. */
    private final List<AutoCloseable> infrastructure = new ArrayList<>();
    private final List<AutoCloseable> services = new ArrayList<>();

    private LocalStack(Path root) {
        this.root = root;
        this.data = root.resolve(".local");
    }

    public static void main(String[] args) throws Exception {
        List<String> options = Arrays.asList(args);
        if (options.contains("--help")) {
            System.out.println("usage: LocalStack [--demo]   (build first: ./mvnw install -DskipTests -Plocal-keycloak)");
            return;
        }
        LocalStack stack = new LocalStack(Classpaths.projectRoot());
        Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "local-stack-stop"));
        try {
            stack.start();
        } catch (RuntimeException e) {
            System.err.println("[sohbet] could not start: " + e.getMessage());
            System.exit(1);
        }
        if (options.contains("--demo")) {
            System.out.println("[sohbet] --demo: the scripted demo (simulated shop and campaign) is not built yet; "
                    + "the suite runs without it.");
        }
        Thread.currentThread().join();
    }

    private void start() throws Exception {
        long started = System.nanoTime();
        Files.createDirectories(data);
        Path logs = data.resolve("logs");
        System.out.println("[sohbet] starting PostgreSQL, Kafka and Keycloak (logs in " + logs + ")");
        CompletableFuture<KafkaBroker> kafka = CompletableFuture.supplyAsync(
                () -> KafkaBroker.start(KAFKA_PORT, data.resolve("kafka"), logs.resolve("kafka.log")));
        CompletableFuture<ChildProcess> keycloak = CompletableFuture.supplyAsync(this::startKeycloak);
        Postgres postgres = Postgres.start(POSTGRES_PORT, data.resolve("postgres"), logs.resolve("postgres.log"));
        infrastructure.add(postgres);
        SERVICES.forEach(s -> postgres.createDatabase(s.database()));
        KafkaBroker broker = kafka.join();
        infrastructure.add(broker);
        broker.createSohbetTopics();
        infrastructure.add(keycloak.join());
        awaitHttp("Keycloak", "http://localhost:" + KEYCLOAK_PORT + "/realms/sohbet/.well-known/openid-configuration",
                Duration.ofSeconds(180));

        CloudApiSimulator cloudApi = CloudApiSimulator.start(CloudApiSimulator.Config.local(
                URI.create("http://localhost:8081/webhooks/whatsapp")), CLOUD_API_PORT);
        infrastructure.add(cloudApi);
        System.out.println("[sohbet] starting the services");
        for (Service service : SERVICES) {
            services.add(startService(service, postgres, broker, logs));
        }
        List<CompletableFuture<Void>> ready = SERVICES.stream().map(s -> CompletableFuture.runAsync(() -> awaitHttp(s.name(),
                "http://localhost:" + s.managementPort() + "/q/health/ready", Duration.ofSeconds(180)))).toList();
        ready.forEach(CompletableFuture::join);
        printWelcome((System.nanoTime() - started) / 1_000_000_000);
    }

    private ChildProcess startKeycloak() {
        Path home = root.resolve("devstack/target/keycloak/keycloak-" + KEYCLOAK_VERSION);
        if (!Files.isRegularFile(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("Keycloak is not unpacked at " + home
                    + ": build with ./mvnw install -DskipTests -Plocal-keycloak");
        }
        try (InputStream realm = LocalStack.class.getResourceAsStream("/local/sohbet-realm.json")) {
            Path imports = home.resolve("data/import");
            Files.createDirectories(imports);
            Files.copy(realm, imports.resolve("sohbet-realm.json"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = guarded(List.of(home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-port=" + KEYCLOAK_PORT, "--import-realm", "--health-enabled=false"));
        Map<String, String> env = Map.of("KC_BOOTSTRAP_ADMIN_USERNAME", "admin", "KC_BOOTSTRAP_ADMIN_PASSWORD", "admin",
                "JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
        return ChildProcess.start("keycloak", command, env, data.resolve("logs/keycloak.log"), line -> true);
    }

    private ChildProcess startService(Service service, Postgres postgres, KafkaBroker broker, Path logs) {
        Path jar = root.resolve(service.name() + "/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build with ./mvnw install -DskipTests");
        }
        Map<String, String> env = new HashMap<>(localSecrets());
        env.put("QUARKUS_HTTP_PORT", String.valueOf(service.httpPort()));
        env.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(service.managementPort()));
        env.put("DB_REACTIVE_URL", postgres.reactiveUrl(service.database()));
        env.put("DB_JDBC_URL", postgres.jdbcUrl(service.database()));
        env.put("DB_USER", Postgres.USER);
        env.put("DB_PASSWORD", Postgres.PASSWORD);
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("OIDC_AUTH_SERVER_URL", "http://localhost:" + KEYCLOAK_PORT + "/realms/sohbet");
        env.put("WHATSAPP_API_URL", "http://localhost:" + CLOUD_API_PORT);
        env.put("WHATSAPP_PHONE_NUMBER_ID", CloudApiSimulator.Config.local(null).phoneNumberId());
        List<String> command = guarded(List.of(javaExecutable(), "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar.toString()));
        return ChildProcess.start(service.name(), command, env, logs.resolve(service.name() + ".log"), line -> true);
    }

    /** Development-only secrets; production takes them from Kubernetes Secrets. */
    static Map<String, String> localSecrets() {
        return Map.of(
                "SOHBET_PEPPER", "local-pepper-not-for-production",
                "WHATSAPP_APP_SECRET", "local-app-secret",
                "WHATSAPP_VERIFY_TOKEN", "local-verify-token",
                "WHATSAPP_ACCESS_TOKEN", CloudApiSimulator.Config.local(null).accessToken(),
                "COMMERCE_WEBHOOK_SECRET", "local-commerce-secret",
                "LINK_SECRET", "local-link-secret-0123456789",
                "SOHBET_MASTER_KEY", "bG9jYWwtbWFzdGVyLWtleS1ub3QtZm9yLXByb2QtMzI=",
                "OIDC_CLIENT_SECRET", "local-services-secret");
    }

    private List<String> guarded(List<String> command) {
        List<Path> classpath = List.of(root.resolve("devstack/target/classes"), root.resolve("devstack/target/lib/*"));
        List<String> wrapped = new ArrayList<>(List.of(javaExecutable(), "-Xmx24m", "-XX:+UseSerialGC", "-cp",
                String.join(":", classpath.stream().map(Path::toString).toList()), Guarded.class.getName()));
        wrapped.addAll(command);
        return wrapped;
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static void awaitHttp(String name, String url, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
                connection.setConnectTimeout(1000);
                connection.setReadTimeout(2000);
                if (connection.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        throw new IllegalStateException(name + " not ready at " + url + " after " + timeout.toSeconds()
                + " s; see .local/logs/");
    }

    private void printWelcome(long seconds) {
        StringBuilder out = new StringBuilder("\n[sohbet] ready in " + seconds + " s. Ctrl-C stops everything.\n\n");
        out.append(String.format("  %-17s %-24s %-40s%n", "service", "API", "health / metrics / OpenAPI / Swagger UI"));
        for (Service s : SERVICES) {
            out.append(String.format("  %-17s http://localhost:%d    http://localhost:%d/q/{health,metrics,openapi,swagger-ui}%n",
                    s.name(), s.httpPort(), s.managementPort()));
        }
        out.append("\n  Keycloak admin console: http://localhost:" + KEYCLOAK_PORT + "/admin  (admin / admin)\n");
        out.append("  Demo users (password = user name): admin, privacy, marketer, analyst\n");
        out.append("  PostgreSQL: postgresql://localhost:" + POSTGRES_PORT + "/<service> (postgres / postgres)   Kafka: localhost:"
                + KAFKA_PORT + "\n");
        out.append("  WhatsApp Cloud API simulator (Meta and the customers): http://localhost:" + CLOUD_API_PORT
                + "  (campaign-service sends to it; it posts signed webhooks to webhook-service)\n\n");
        out.append("  Get a token:\n");
        out.append("    TOKEN=$(curl -s -d grant_type=password -d client_id=sohbet-cli -d username=marketer -d password=marketer \\\n");
        out.append("      http://localhost:" + KEYCLOAK_PORT + "/realms/sohbet/protocol/openid-connect/token"
                + " | sed -E 's/.*\"access_token\":\"([^\"]+)\".*/\\1/')\n");
        out.append("    curl -H \"Authorization: Bearer $TOKEN\" http://localhost:8084/api/segments\n");
        System.out.println(out);
    }

    private void stop() {
        System.out.println("[sohbet] stopping");
        // the services first, together; then Keycloak, Kafka and PostgreSQL, in reverse start order
        services.parallelStream().forEach(LocalStack::closeQuietly);
        List<AutoCloseable> reversed = new ArrayList<>(infrastructure);
        Collections.reverse(reversed);
        reversed.forEach(LocalStack::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // stopping anyway
        }
    }
}
