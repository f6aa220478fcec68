package io.sohbet.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A Keycloak installation of a suite's own, in its data folder ({@code keycloak-<version>}), unzipped from the
 * distribution Maven downloaded ({@code org.keycloak:keycloak-quarkus-dist}, ~180 MB, ~200 MB unzipped). Keycloak writes
 * into its installation (its first start builds itself, ~35 s; its users and realms live in {@code data/}), so each
 * suite gets its own copy rather than one shared by every run. The copy is unzipped into a temporary sibling and
 * renamed into place; it counts as usable only once Keycloak has started from it ({@link #markStarted}). A copy whose
 * first start was killed is thrown away and unzipped again.
 */
public final class KeycloakHome {

    static final String STARTED = ".started";
    /** The distribution's version, from the build ({@code keycloak.version} in the parent pom). */
    static final String VERSION = built().getProperty("keycloak.version", "unknown");

    private KeycloakHome() {
    }

    /** The installation in {@code suiteData}, unzipped unless one that has started before is there. */
    public static Path prepare(Path suiteData) {
        Path home = suiteData.resolve("keycloak-" + VERSION);
        if (Files.isRegularFile(home.resolve(STARTED))) {
            return home;
        }
        Path partial = suiteData.resolve(".keycloak-" + VERSION + ".partial-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(suiteData);
            for (Path leftOver : ToolCache.leftOvers(suiteData, "keycloak-" + VERSION)) {
                ToolCache.deleteTree(leftOver);
            }
            ToolCache.deleteTree(home);
            long started = System.nanoTime();
            unzip(distribution(), partial);
            Files.move(partial, home, StandardCopyOption.ATOMIC_MOVE);
            System.out.printf("[devstack] unzipped Keycloak %s into %s in %d ms%n", VERSION, home,
                    (System.nanoTime() - started) / 1_000_000);
            return home;
        } catch (IOException e) {
            try {
                ToolCache.deleteTree(partial);
            } catch (IOException ignored) {
                // reported below
            }
            throw new UncheckedIOException("cannot unzip Keycloak into " + home + ": " + e.getMessage(), e);
        }
    }

    /** Records that Keycloak started from {@code home}: from now on it is kept, with its realm and users. */
    public static void markStarted(Path home) {
        try {
            Files.writeString(home.resolve(STARTED), VERSION + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The distribution's zip: the system property {@code sohbet.keycloak.zip}, else where Maven put it when devstack
     * was built (recorded in {@code devstack.properties}).
     */
    static Path distribution() throws IOException {
        String configured = System.getProperty("sohbet.keycloak.zip");
        if (configured == null || configured.isBlank()) {
            configured = built().getProperty("keycloak.zip", "");
        }
        Path zip = Path.of(configured);
        if (configured.isBlank() || configured.contains("${") || !Files.isRegularFile(zip)) {
            throw new IOException("Keycloak's distribution is not at '" + configured + "': build the project first "
                    + "(./mvnw install -DskipTests downloads it) or set -Dsohbet.keycloak.zip");
        }
        return zip;
    }

    /** What the build recorded in {@code devstack.properties}. */
    private static Properties built() {
        Properties built = new Properties();
        try (InputStream in = KeycloakHome.class.getResourceAsStream("/devstack.properties")) {
            if (in != null) {
                built.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return built;
    }

    /** Unzips without the archive's top folder; programs in {@code bin/} become executable. */
    static void unzip(Path zip, Path folder) throws IOException {
        Files.createDirectories(folder);
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = archive.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                int slash = name.indexOf('/');
                if (slash < 0 || slash == name.length() - 1) {
                    continue; // the top folder itself
                }
                Path target = folder.resolve(name.substring(slash + 1)).normalize();
                if (!target.startsWith(folder)) {
                    throw new IOException("archive entry outside its folder: " + name);
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = archive.getInputStream(entry)) {
                    Files.copy(in, target);
                }
                if (name.endsWith(".sh")) {
                    target.toFile().setExecutable(true, false);
                }
            }
        }
    }
}
