package io.sohbet.devstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sohbet.devstack.iys.IysSimulator;
import io.sohbet.devstack.whatsapp.CloudApiSimulator;
import io.sohbet.events.TopicAccess;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
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
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The whole suite as real processes: PostgreSQL, Kafka (secured: SASL_SSL, SCRAM, ACLs, each service logs in as its
 * own user; {@link KafkaBroker#startSecured}), Keycloak with the {@code sohbet} realm, the Cloud API
 * simulator (Meta and the customers) and the five services from their built {@code quarkus-app}, wired to each
 * other. The local run uses it with the documented ports; the end-to-end tests with free ports and a temporary folder.
 */
public final class Suite implements AutoCloseable {

    public static final String KEYCLOAK_VERSION = KeycloakHome.VERSION;
    public static final List<String> SERVICES = List.of("webhook-service", "consent-service", "metrics-service",
            "segment-service", "campaign-service");
    /**
     * Databases whose service runs as a restricted role of its own (here: only what consent-service's migrations grant
     * it), with migrations run by the database's owner role; the other services run as the superuser.
     */
    public static final Map<String, String> RUNTIME_ROLES = Map.of("consent", "consent_app");
    /**
     * The web console: no database, no Kafka, so not one of {@link #SERVICES}; {@link #startConsole()} starts it once
     * the five are up (the local run always, the end-to-end tests when they test pages).
     */
    public static final String CONSOLE = "console-service";

    /**
     * Where and how to run. {@code keycloakFolder} holds the suite's own Keycloak installation, unzipped there on first
     * use ({@link KeycloakHome}); it may outlive {@code data}, so that a fresh suite need not rebuild Keycloak.
     * {@code ports} maps each service name (and {@code postgres}, {@code kafka}, {@code keycloak}, {@code cloud-api}, {@code iys}) to
     * its port; 0 or absent = a free one.
     */
    public record Options(Path projectRoot, Path data, Path keycloakFolder, Map<String, Integer> ports,
            CloudApiSimulator.Config cloudApi, Map<String, String> extraEnvironment) {

        public Path logs() {
            return data.resolve("logs");
        }
    }

    /** One running service: its process and its two ports. */
    public record Running(String name, ChildProcess process, int httpPort, int managementPort) {

        public String url() {
            return "http://localhost:" + httpPort;
        }

        public String managementUrl() {
            return "http://localhost:" + managementPort;
        }

        public String database() {
            return name.substring(0, name.indexOf('-'));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Options options;
    private final List<AutoCloseable> infrastructure = new ArrayList<>();
    private final Map<String, Running> services = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, Integer> ports = new HashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, Postgres.Roles> roles = new HashMap<>();
    private Postgres postgres;
    private KafkaBroker kafka;
    private final Map<String, KafkaCredentials> kafkaUsers = new java.util.concurrent.ConcurrentHashMap<>();
    private CloudApiSimulator cloudApi;
    private IysSimulator iys;
    private volatile KeycloakHome keycloakHome;
    private volatile boolean closed;

    private Suite(Options options) {
        this.options = options;
    }

    /** Starts everything and returns once every service is ready. */
    public static Suite start(Options options) {
        Suite suite = new Suite(options);
        try {
            suite.startAll();
        } catch (RuntimeException e) {
            suite.close();
            throw e;
        }
        return suite;
    }

    private synchronized int port(String name) {
        return ports.computeIfAbsent(name, n -> {
            Integer fixed = options.ports().get(n);
            return fixed == null || fixed == 0 ? Ports.free() : fixed;
        });
    }

    private void startAll() {
        for (String name : List.of("postgres", "kafka", "keycloak", "cloud-api", "iys")) {
            port(name);
        }
        SERVICES.forEach(name -> {
            port(name);
            port(name + "-management");
        });
        try {
            Files.createDirectories(options.logs());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CompletableFuture<KafkaBroker> broker = CompletableFuture.supplyAsync(() -> KafkaBroker.startSecured(port("kafka"),
                options.data().resolve("kafka"), options.logs().resolve("kafka.log")));
        CompletableFuture<ChildProcess> keycloak = CompletableFuture.supplyAsync(this::startKeycloak);
        postgres = Postgres.start(port("postgres"), options.data().resolve("postgres"), options.logs().resolve("postgres.log"));
        infrastructure.add(postgres);
        for (String service : SERVICES) {
            String database = service.substring(0, service.indexOf('-'));
            if (RUNTIME_ROLES.containsKey(database)) {
                roles.put(database, postgres.createDatabaseWithRoles(database, RUNTIME_ROLES.get(database)));
            } else {
                postgres.createDatabase(database);
            }
        }
        kafka = broker.join();
        infrastructure.add(kafka);
        kafka.createSohbetTopics();
        kafkaUsers.putAll(kafka.createServiceUsers(TopicAccess.ALL)); // SASL_SSL + SCRAM, each service its own user
        infrastructure.add(keycloak.join());
        awaitHttp("Keycloak", keycloakUrl() + "/.well-known/openid-configuration", Duration.ofSeconds(240));
        keycloakHome.markStarted();
        CloudApiSimulator.Config simulator = options.cloudApi().withWebhookUrl(
                URI.create("http://localhost:" + port("webhook-service") + "/webhooks/whatsapp"));
        cloudApi = CloudApiSimulator.start(simulator, port("cloud-api"));
        infrastructure.add(cloudApi);
        // the feed without İYS's hour of delay, so that a citizen's rejection played on it arrives within a poll interval
        iys = IysSimulator.start(IysSimulator.Config.unlimited(), port("iys"));
        infrastructure.add(iys);
        SERVICES.forEach(s -> startService(s, false));
        List<CompletableFuture<Void>> ready = SERVICES.stream().map(s -> CompletableFuture.runAsync(() -> awaitReady(s))).toList();
        ready.forEach(CompletableFuture::join);
    }

    private ChildProcess startKeycloak() {
        byte[] realm;
        try (InputStream in = Suite.class.getResourceAsStream("/local/sohbet-realm.json")) {
            realm = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        keycloakHome = KeycloakHome.prepare(options.keycloakFolder(), fingerprint(realm));
        Path home = keycloakHome.path();
        try {
            Path imports = home.resolve("data/import");
            Files.createDirectories(imports);
            Files.write(imports.resolve("sohbet-realm.json"), realm);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = guarded(List.of(home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-port=" + port("keycloak"), "--import-realm", "--health-enabled=false"));
        Map<String, String> env = Map.of("KC_BOOTSTRAP_ADMIN_USERNAME", "admin", "KC_BOOTSTRAP_ADMIN_PASSWORD", "admin",
                "JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
        return ChildProcess.start("keycloak", command, env, options.logs().resolve("keycloak.log"), line -> true);
    }

    /**
     * Starts one more replica of each named service (same database, same consumer groups, ports of its own) and returns
     * once they are ready: {@code <service>#2}, {@code #3}, … in {@link #replicas}. Production runs two or more of each
     * stateless service; what holds for one replica (an erasure leaves nothing, every event counted once) must hold
     * for several.
     */
    public void startReplicas(String... names) {
        List<String> started = new ArrayList<>();
        for (String name : names) {
            service(name);
            String replica = name + "#" + (replicas(name).size() + 1);
            port(replica);
            port(replica + "-management");
            startService(replica, false);
            started.add(replica);
        }
        started.stream().map(s -> CompletableFuture.runAsync(() -> awaitReady(s))).toList().forEach(CompletableFuture::join);
    }

    /** Every running replica of a service, the first one first. */
    public List<Running> replicas(String name) {
        synchronized (services) {
            return services.values().stream().filter(r -> r.name().equals(name) || r.name().startsWith(name + "#")).toList();
        }
    }

    /** Starts a service's process; its log keeps the earlier instance's lines when {@code appendToLog} (a restart). */
    private void startService(String replica, boolean appendToLog) {
        String name = replica.contains("#") ? replica.substring(0, replica.indexOf('#')) : replica;
        Path jar = options.projectRoot().resolve(name + "/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build with ./mvnw install -DskipTests");
        }
        String database = name.substring(0, name.indexOf('-'));
        int httpPort = port(replica);
        int managementPort = port(replica + "-management");
        Map<String, String> env = new HashMap<>(localSecrets());
        env.put("QUARKUS_HTTP_PORT", String.valueOf(httpPort));
        env.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
        env.put("DB_REACTIVE_URL", postgres.reactiveUrl(database));
        env.put("DB_JDBC_URL", postgres.jdbcUrl(database));
        Postgres.Roles own = roles.get(database);
        if (own == null) {
            env.put("DB_USER", Postgres.USER);
            env.put("DB_PASSWORD", postgres.password());
        } else {
            env.put("DB_USER", own.runtime().user());
            env.put("DB_PASSWORD", own.runtime().password());
            env.put("DB_OWNER_USER", own.owner().user());
            env.put("DB_OWNER_PASSWORD", own.owner().password());
        }
        env.put("DB_SSL_MODE", "verify-full");
        env.put("DB_SSL_ROOT_CERT", postgres.caCertificate().toString());
        env.put("QUARKUS_SWAGGER_UI_ENABLED", "true");
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.putAll(kafkaUsers.get(name).environment());
        env.put("OIDC_AUTH_SERVER_URL", keycloakUrl());
        env.put("OIDC_CLIENT_ID", clientId(name));
        env.put("OIDC_CLIENT_SECRET", clientSecret(name));
        env.put("CONSENT_URL", "http://localhost:" + port("consent-service"));
        env.put("METRICS_URL", "http://localhost:" + port("metrics-service"));
        env.put("SEGMENT_URL", "http://localhost:" + port("segment-service"));
        env.put("CAMPAIGN_URL", "http://localhost:" + port("campaign-service"));
        env.put("LINK_BASE_URL", "http://localhost:" + port("webhook-service"));
        env.put("WHATSAPP_API_URL", cloudApi.baseUrl().toString());
        env.put("WHATSAPP_PHONE_NUMBER_ID", cloudApi.config().phoneNumberId());
        env.put("WHATSAPP_WABA_ID", cloudApi.config().wabaId());
        env.put("WHATSAPP_ACCESS_TOKEN", cloudApi.config().accessToken());
        env.put("WHATSAPP_APP_SECRET", cloudApi.config().appSecret());
        // the demo replays a shop's campaigns of 14 days ago as status webhooks, older than Meta's retry horizon
        env.put("SOHBET_WEBHOOK_WHATSAPP_REPLAY_HORIZON", "P30D");
        // the simulated crowd clicks its links from one address
        env.put("SOHBET_WEBHOOK_LINKS_CLICKS_PER_SOURCE", "100000");
        if (name.equals("consent-service")) {
            env.putAll(iysEnvironment(iys));
            // the preference page's links (docs/preference-page.md) point at consent-service itself, as a public Ingress would
            env.put("SOHBET_PREFERENCES_BASE_URL", "http://localhost:" + port("consent-service"));
        }
        env.putAll(JvmOptions.ENVIRONMENT);
        env.putAll(options.extraEnvironment());
        // the options production runs with (k8s/files/jvm.options, the chart's and the images' too)
        List<String> java = new ArrayList<>(List.of(javaExecutable()));
        java.addAll(JvmOptions.local(options.projectRoot()));
        java.addAll(List.of("-jar", jar.toString()));
        List<String> command = guarded(java);
        String log = replica.replace('#', '-') + ".log";
        ChildProcess process = ChildProcess.start(replica, command, env, options.logs().resolve(log), appendToLog, line -> true);
        services.put(replica, new Running(replica, process, httpPort, managementPort));
    }

    /**
     * Starts console-service (its port: {@code console-service} in the options' ports, its management port
     * {@code console-service-management}) against this suite's Keycloak and APIs, and returns once it is ready. People
     * sign in to it through Keycloak's login page (client {@code sohbet-console}).
     */
    public Running startConsole() {
        Path jar = options.projectRoot().resolve(CONSOLE + "/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build with ./mvnw install -DskipTests");
        }
        int httpPort = port(CONSOLE);
        int managementPort = port(CONSOLE + "-management");
        Map<String, String> env = new HashMap<>(consoleSecrets());
        env.put("QUARKUS_HTTP_PORT", String.valueOf(httpPort));
        env.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
        env.put("OIDC_AUTH_SERVER_URL", keycloakUrl());
        env.put("CONSENT_URL", "http://localhost:" + port("consent-service"));
        env.put("METRICS_URL", "http://localhost:" + port("metrics-service"));
        env.put("SEGMENT_URL", "http://localhost:" + port("segment-service"));
        env.put("CAMPAIGN_URL", "http://localhost:" + port("campaign-service"));
        env.put("CONSOLE_PUBLIC_ORIGIN", "http://localhost:" + httpPort);
        List<String> command = guarded(List.of(javaExecutable(), "-Xmx128m", "-XX:+UseSerialGC", "-jar", jar.toString()));
        ChildProcess process = ChildProcess.start(CONSOLE, command, env, options.logs().resolve(CONSOLE + ".log"), false, line -> true);
        services.put(CONSOLE, new Running(CONSOLE, process, httpPort, managementPort));
        awaitReady(CONSOLE);
        return services.get(CONSOLE);
    }

    /** console-service's development-only secrets: its client's (local realm) and the keys of its state and session cookies. */
    public static Map<String, String> consoleSecrets() {
        return Map.of("CONSOLE_CLIENT_SECRET", "local-console-secret",
                "CONSOLE_STATE_SECRET", "local-console-state-secret-0123456789",
                "CONSOLE_SESSION_SECRET", "local-console-session-secret-0123456789");
    }

    private void awaitReady(String name) {
        awaitHttp(name, service(name).managementUrl() + "/q/health/ready", Duration.ofSeconds(180));
    }

    /**
     * Development-only secrets; production takes them from Kubernetes Secrets. Tracked links are signed with key l1 and
     * key 0 (LINK_SECRET) still verifies, as after a rotation, so the local run uses the key-id path of production.
     */
    public static Map<String, String> localSecrets() {
        return Map.ofEntries(
                Map.entry("SOHBET_PEPPER", "local-pepper-not-for-production"),
                Map.entry("WHATSAPP_VERIFY_TOKEN", "local-verify-token"),
                Map.entry("COMMERCE_WEBHOOK_SECRET", "local-commerce-secret"),
                Map.entry("LINK_SECRET", "local-link-secret-0123456789"),
                Map.entry("LINK_SECRETS", "l1:local-link-secret-l1-0123456789"),
                Map.entry("LINK_KEY_ID", "l1"),
                Map.entry("SOHBET_KEYWORD_KEY", "local-keyword-key-not-for-production"),
                Map.entry("SOHBET_MESSAGE_ID_KEY", "local-message-id-key-not-for-production"),
                Map.entry("SOHBET_MASTER_KEY", "bG9jYWwtbWFzdGVyLWtleS1ub3QtZm9yLXByb2QtMzI="),
                Map.entry("SOHBET_AUDIT_KEY", "bG9jYWwtYXVkaXQta2V5LW5vdC1mb3ItcHJvZHVjdGlvbi0zMg=="));
    }

    /**
     * consent-service's İYS settings for the suite (README, İYS): WhatsApp mirrored as {@code MESAJ} and enforced at send
     * time, against the simulator, with short intervals so that a grant is usable and a citizen's rejection is read back
     * within seconds (production: 1 minute, 1 hour), and a batch limit that lets every sync upload (İYS's own: 2 a minute).
     */
    public static Map<String, String> iysEnvironment(IysSimulator iys) {
        IysSimulator.Config config = iys.config();
        return Map.ofEntries(
                Map.entry("IYS_BASE_URL", iys.baseUrl().toString()),
                Map.entry("IYS_USERNAME", config.username()),
                Map.entry("IYS_PASSWORD", config.password()),
                Map.entry("IYS_CODE", config.iysCode()),
                Map.entry("IYS_BRAND_CODE", config.brandCode()),
                Map.entry("SOHBET_CONSENT_IYS_CHANNELS_WHATSAPP_TYPE", "MESAJ"),
                Map.entry("SOHBET_CONSENT_IYS_CHANNELS_WHATSAPP_ENFORCE", "true"),
                Map.entry("SOHBET_CONSENT_IYS_SYNC_INTERVAL", "2s"),
                Map.entry("SOHBET_CONSENT_IYS_POLL_INTERVAL", "2s"),
                Map.entry("SOHBET_CONSENT_IYS_LIMITS_BATCH", "120"),
                Map.entry("SOHBET_CONSENT_IYS_LIMITS_RESULT", "600"));
    }

    /** A service's own OIDC client in the local realm: {@code consent-service} → {@code sohbet-consent}. */
    public static String clientId(String service) {
        return "sohbet-" + service.substring(0, service.indexOf('-'));
    }

    /** The development-only secret of a service's client in the local realm ({@code local/sohbet-realm.json}). */
    public static String clientSecret(String service) {
        return "local-" + service.substring(0, service.indexOf('-')) + "-secret";
    }

    public Running service(String name) {
        Running running = services.get(name);
        if (running == null) {
            throw new IllegalArgumentException("no service " + name);
        }
        return running;
    }

    /** Where every process of this suite writes its log ({@code <name>.log}). */
    public Path logs() {
        return options.logs();
    }

    public Postgres postgres() {
        return postgres;
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    public CloudApiSimulator cloudApi() {
        return cloudApi;
    }

    /** The İYS simulator consent-service syncs with: to play a citizen's own changes and read what İYS holds. */
    public IysSimulator iys() {
        return iys;
    }

    public int keycloakPort() {
        return port("keycloak");
    }

    public String keycloakUrl() {
        return "http://localhost:" + port("keycloak") + "/realms/sohbet";
    }

    /** An access token of a realm user (password = user name) from Keycloak's password grant, as the CLI client. */
    public String token(String user) {
        return tokenFor("grant_type=password&client_id=sohbet-cli&username=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(user, StandardCharsets.UTF_8), user);
    }

    /** A service's own token, as it gets it itself: client credentials of its client ({@link #clientId}). */
    public String serviceToken(String service) {
        return clientToken(clientId(service), clientSecret(service));
    }

    /** An access token of any client of the realm, from its client-credentials grant. */
    public String clientToken(String clientId, String secret) {
        return tokenFor("grant_type=client_credentials&client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(secret, StandardCharsets.UTF_8), clientId);
    }

    private String tokenFor(String form, String user) {
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(keycloakUrl() + "/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form))
                    .build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(answer.body());
            if (answer.statusCode() != 200 || !body.hasNonNull("access_token")) {
                throw new IllegalStateException("Keycloak refused a token for " + user + ": " + answer.statusCode());
            }
            return body.get("access_token").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the Kafka broker (cleanly; its data stays), as an outage the services must survive. */
    public void stopBroker() {
        kafka.close();
    }

    /** Starts the broker again on the same port with the same data. */
    public void startBroker() {
        infrastructure.remove(kafka);
        // the same data (so the same users and passwords) and the same CA: the services reconnect as they were
        kafka = KafkaBroker.startSecured(port("kafka"), options.data().resolve("kafka"), options.logs().resolve("kafka-restarted.log"));
        infrastructure.add(1, kafka);
    }

    /** {@code kill -9} of the service's JVM: no shutdown hook, no flush, no goodbye. */
    public void kill(String name) {
        Running running = service(name);
        ProcessHandle.of(running.process().pid()).ifPresent(wrapper -> wrapper.descendants().forEach(ProcessHandle::destroyForcibly));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (running.process().isAlive() && System.nanoTime() < deadline) {
            sleep(50);
        }
    }

    /**
     * Starts a service again (after {@link #kill}) on the same ports and returns once it is ready; its log goes on after
     * the killed instance's last line.
     */
    public void restart(String name) {
        Running old = service(name);
        old.process().close();
        startService(name, true);
        awaitReady(name);
    }

    /**
     * Writes every line the services have written so far into their log files ({@link ChildProcess#syncLog()}), so
     * that a check of the logs sees all of them.
     */
    public void syncLogs() {
        List<Running> running;
        synchronized (services) {
            running = List.copyOf(services.values());
        }
        running.forEach(r -> r.process().syncLog());
    }

    private List<String> guarded(List<String> command) {
        Path root = options.projectRoot();
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
            sleep(500);
        }
        throw new IllegalStateException(name + " not ready at " + url + " after " + timeout.toSeconds() + " s; see the logs");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * The services first, together; then the simulator, Keycloak, Kafka and PostgreSQL, in reverse start order. Returns
     * once every log holds its process's last line. A second call does nothing.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        new ArrayList<>(services.values()).parallelStream().forEach(s -> closeQuietly(s.process()));
        List<AutoCloseable> reversed = new ArrayList<>(infrastructure);
        Collections.reverse(reversed);
        reversed.forEach(Suite::closeQuietly);
        if (keycloakHome != null) {
            keycloakHome.close(); // after Keycloak itself has stopped
        }
    }

    private static String fingerprint(byte[] content) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content), 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // stopping anyway
        }
    }
}
