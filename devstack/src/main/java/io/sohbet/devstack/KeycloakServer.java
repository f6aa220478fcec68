package io.sohbet.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A real Keycloak with the local {@code sohbet} realm ({@code local/sohbet-realm.json}: its clients and the demo users,
 * password = user name) on a free port, for a module's tests that need people to sign in through Keycloak's own
 * login page (console-service's authorization-code flow). One per JVM ({@link #shared()}), stopped when the JVM exits;
 * its installation is kept in {@code .local/test-keycloak/} so that later runs skip Keycloak's first-start build
 * (~35 s on an idle machine, minutes on a loaded one: it may take up to 10 minutes; later starts ~10 s), and is unzipped again when the realm file changes ({@link KeycloakHome}).
 */
public final class KeycloakServer implements AutoCloseable {

    private static KeycloakServer shared;

    private final int port;
    private final ChildProcess process;
    private final KeycloakHome home;

    private KeycloakServer(int port, ChildProcess process, KeycloakHome home) {
        this.port = port;
        this.process = process;
        this.home = home;
    }

    /** The JVM's Keycloak, started on first use. */
    public static synchronized KeycloakServer shared() {
        if (shared == null) {
            Path folder = Classpaths.projectRoot().resolve(".local/test-keycloak");
            shared = start(folder, folder.resolve("keycloak.log"));
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "keycloak-stop"));
        }
        return shared;
    }

    /** Starts Keycloak from {@code folder}'s installation (unzipped there when needed) and returns once it serves the realm. */
    public static KeycloakServer start(Path folder, Path log) {
        long started = System.nanoTime();
        byte[] realm;
        try (InputStream in = KeycloakServer.class.getResourceAsStream("/local/sohbet-realm.json")) {
            realm = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        KeycloakHome home = KeycloakHome.prepare(folder, fingerprint(realm));
        int port = Ports.free();
        ChildProcess process;
        try {
            Path imports = home.path().resolve("data/import");
            Files.createDirectories(imports);
            Files.write(imports.resolve("sohbet-realm.json"), realm);
            String guard = Path.of(Guarded.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx24m",
                    "-XX:+UseSerialGC", "-cp", guard, Guarded.class.getName(), home.path().resolve("bin/kc.sh").toString(),
                    "start-dev", "--http-port=" + port, "--import-realm", "--health-enabled=false");
            process = ChildProcess.start("keycloak", command, Map.of("KC_BOOTSTRAP_ADMIN_USERNAME", "admin",
                    "KC_BOOTSTRAP_ADMIN_PASSWORD", "admin", "JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m"), log, line -> true);
        } catch (IOException | java.net.URISyntaxException | RuntimeException e) {
            home.close();
            throw new IllegalStateException("Keycloak did not start: " + e.getMessage(), e);
        }
        KeycloakServer server = new KeycloakServer(port, process, home);
        try {
            Suite.awaitHttp("Keycloak", server.realmUrl() + "/.well-known/openid-configuration", Duration.ofSeconds(600));
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        home.markStarted();
        System.out.printf("[devstack] Keycloak on port %d, ready in %d ms (log %s)%n", port,
                (System.nanoTime() - started) / 1_000_000, log);
        return server;
    }

    public int port() {
        return port;
    }

    /** {@code http://localhost:<port>/realms/sohbet} */
    public String realmUrl() {
        return "http://localhost:" + port + "/realms/sohbet";
    }

    @Override
    public void close() {
        try {
            process.close();
        } finally {
            home.close();
        }
    }

    private static String fingerprint(byte[] content) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content), 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
