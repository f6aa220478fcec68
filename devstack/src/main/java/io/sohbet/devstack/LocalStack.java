package io.sohbet.devstack;

import io.sohbet.devstack.demo.Demo;
import io.sohbet.devstack.demo.Journey;
import io.sohbet.devstack.whatsapp.CloudApiSimulator;
import io.sohbet.devstack.whatsapp.Crowd;
import io.sohbet.devstack.whatsapp.StandaloneSimulator;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the whole suite on this machine ({@link Suite} with the documented ports): PostgreSQL (data kept under
 * {@code .local/}), Kafka, Keycloak with the {@code sohbet} realm, the Cloud API simulator and the five services from
 * their built {@code quarkus-app}. With {@code --demo} the simulator then plays a shop and its customers through a
 * campaign ({@link Journey}) and the console prints the headline metrics. Recipients the demo does not script (say
 * of a campaign you create) are played by a {@link Crowd} whose flags ({@code --seed}, {@code --habits}, …) this
 * launcher takes too. With {@code --simulator} only the simulator and its crowd run ({@link StandaloneSimulator}).
 * Ctrl-C stops everything; a {@code kill -9} of this process stops everything too (every child watches its lifeline).
 *
 * <pre>java -cp 'devstack/target/classes:devstack/target/lib/*' io.sohbet.devstack.LocalStack [--demo] [crowd flags]</pre>
 */
public final class LocalStack {

    static final int KEYCLOAK_PORT = 8180;
    /** The WhatsApp Cloud API simulator, Meta's stand-in: campaign-service sends to it, it posts webhooks to us. */
    static final int CLOUD_API_PORT = 8090;
    static final int POSTGRES_PORT = 55432;
    static final int KAFKA_PORT = 59092;
    /** The web console; Keycloak's sohbet-console client lets people back to it after they sign in. */
    static final int CONSOLE_PORT = 8086;

    /** Local ports, as in docs/architecture.md: HTTP 8081..8085, management 9081..9085. */
    static Map<String, Integer> ports() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (int i = 0; i < Suite.SERVICES.size(); i++) {
            ports.put(Suite.SERVICES.get(i), 8081 + i);
            ports.put(Suite.SERVICES.get(i) + "-management", 9081 + i);
        }
        ports.put(Suite.CONSOLE, CONSOLE_PORT);
        ports.put(Suite.CONSOLE + "-management", 9086);
        ports.put("postgres", POSTGRES_PORT);
        ports.put("kafka", KAFKA_PORT);
        ports.put("keycloak", KEYCLOAK_PORT);
        ports.put("cloud-api", CLOUD_API_PORT);
        return ports;
    }

    public static void main(String[] args) throws Exception {
        List<String> options = Arrays.asList(args);
        if (options.contains("--simulator")) {
            StandaloneSimulator.main(options.stream().filter(o -> !o.equals("--simulator") && !o.equals("--skip-build"))
                    .toArray(String[]::new));
            return;
        }
        if (options.contains("--help")) {
            System.out.println("usage: ./run-local [--demo] [--skip-build] [crowd flags]   (the whole suite)\n"
                    + "       ./run-local --simulator [options]   (only the Cloud API simulator and its crowd; --simulator --help)\n"
                    + "Recipients the demo does not script are played by the simulator's crowd:\n" + Crowd.usage());
            return;
        }
        Crowd.Options crowdOptions;
        java.time.ZoneId zone;
        try {
            List<String> unknown = options.stream().filter(o -> o.startsWith("--") && !List.of("--demo", "--skip-build").contains(o)
                    && !Crowd.FLAGS.contains(o.contains("=") ? o.substring(0, o.indexOf('=')) : o)).toList();
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException("unknown option " + unknown.get(0) + " (see --help)");
            }
            crowdOptions = Crowd.parse(options, Crowd.Options.defaults());
            zone = Crowd.zone(options);
        } catch (IllegalArgumentException e) {
            System.err.println("[sohbet] " + e.getMessage());
            System.exit(64);
            return;
        }
        Path root = Classpaths.projectRoot();
        boolean demo = options.contains("--demo");
        // the demo's customers and their numbers are the same every run: it starts from an empty folder of its own
        Path data = demo ? root.resolve(".local/demo") : root.resolve(".local");
        if (demo) {
            deleteTree(data);
        }
        long started = System.nanoTime();
        System.out.println("[sohbet] starting PostgreSQL, Kafka, Keycloak, the Cloud API and İYS simulators and the five services (logs in "
                + data.resolve("logs") + ")");
        Suite suite;
        try {
            suite = Suite.start(new Suite.Options(root, data,
                    root.resolve(".local"), ports(),
                    CloudApiSimulator.Config.local(null), Map.of()));
        } catch (RuntimeException e) {
            System.err.println("[sohbet] could not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("[sohbet] stopping");
            suite.close();
        }, "local-stack-stop"));
        try {
            suite.startConsole();
        } catch (RuntimeException e) {
            System.err.println("[sohbet] console-service could not start: " + e.getMessage());
        }
        suite.cloudApi().zone(zone);
        String webhookService = suite.service("webhook-service").url();
        Crowd crowd = Crowd.attach(suite.cloudApi(), crowdOptions.withShop(
                crowdOptions.linkBase() != null ? crowdOptions.linkBase() : java.net.URI.create(webhookService + "/l/"),
                crowdOptions.shopWebhook() != null ? crowdOptions.shopWebhook() : java.net.URI.create(webhookService + "/webhooks/commerce"),
                crowdOptions.shopSecret() != null ? crowdOptions.shopSecret() : Suite.localSecrets().get("COMMERCE_WEBHOOK_SECRET")));
        printWelcome(suite, (System.nanoTime() - started) / 1_000_000_000);
        System.out.println("  The simulator's customers (recipients the demo does not script): " + crowd.options().describe() + "\n");
        if (demo) {
            Demo.run(suite);
        }
        Thread.currentThread().join();
    }

    /** The console's address followed by {@code path}, or why there is none (then without the path). */
    public static String consoleUrl(Suite suite, String path) {
        try {
            return suite.service(Suite.CONSOLE).url() + "/" + path;
        } catch (IllegalArgumentException notStarted) {
            return "(console-service is not running: see " + suite.logs().resolve(Suite.CONSOLE + ".log") + ")";
        }
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        if (!java.nio.file.Files.exists(dir)) {
            return;
        }
        try (var files = java.nio.file.Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static void printWelcome(Suite suite, long seconds) {
        StringBuilder out = new StringBuilder("\n[sohbet] ready in " + seconds + " s. Ctrl-C stops everything.\n\n");
        out.append("  Console (sign in as a demo user below): " + consoleUrl(suite, "") + "\n\n");
        out.append(String.format("  %-17s %-24s %-40s%n", "service", "API", "health / metrics / OpenAPI / Swagger UI"));
        for (String name : Suite.SERVICES) {
            Suite.Running s = suite.service(name);
            out.append(String.format("  %-17s %-24s %s/q/{health,metrics,openapi,swagger-ui}%n", name, s.url(), s.managementUrl()));
        }
        out.append("\n  Keycloak admin console: http://localhost:" + KEYCLOAK_PORT + "/admin  (admin / admin)\n");
        out.append("  Demo users (password = user name): admin, privacy, marketer, analyst\n");
        out.append("  PostgreSQL: postgresql://localhost:" + POSTGRES_PORT + "/<service> (postgres / " + suite.postgres().password()
                + ")\n  Kafka: localhost:" + KAFKA_PORT + " (SASL_SSL, SCRAM-SHA-512, user " + KafkaBroker.ADMIN_USER + " / "
                + suite.kafka().admin().password() + ", CA " + suite.kafka().caCertificate().orElseThrow() + ")\n");
        out.append("  WhatsApp Cloud API simulator (Meta and the customers): http://localhost:" + CLOUD_API_PORT
                + "  (campaign-service sends to it; it posts signed webhooks to webhook-service)\n");
        out.append("  İYS simulator: " + suite.iys().baseUrl() + "  (consent-service mirrors WhatsApp marketing to it as MESAJ, enforced; "
                + "sync state: GET " + suite.service("consent-service").url() + "/api/iys/status, privacy)\n\n");
        out.append("  Get a token:\n");
        out.append("    TOKEN=$(curl -s -d grant_type=password -d client_id=sohbet-cli -d username=marketer -d password=marketer \\\n");
        out.append("      http://localhost:" + KEYCLOAK_PORT + "/realms/sohbet/protocol/openid-connect/token"
                + " | sed -E 's/.*\"access_token\":\"([^\"]+)\".*/\\1/')\n");
        out.append("    curl -H \"Authorization: Bearer $TOKEN\" http://localhost:8084/api/segments\n");
        System.out.println(out);
    }
}
