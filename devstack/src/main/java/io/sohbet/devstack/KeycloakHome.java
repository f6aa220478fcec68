package io.sohbet.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Enumeration;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A Keycloak installation of a suite's own, in a folder of the suite's ({@code keycloak-<version>}), unzipped from the
 * distribution Maven downloaded ({@code org.keycloak:keycloak-quarkus-dist}, ~180 MB, ~190 MB unzipped). Keycloak writes
 * into its installation (its first start builds itself, ~35 s; its users and realms live in {@code data/}), so each
 * suite gets its own copy rather than one shared by every run, and holds a lock on it while it runs: a second suite
 * on the same folder is refused instead of deleting a copy in use. The copy is unzipped into a temporary sibling and
 * renamed into place; it counts as usable only once Keycloak has started from it with the same realm
 * ({@link #markStarted}). A copy whose first start was killed, or made for another realm file, is thrown away and
 * unzipped again.
 */
public final class KeycloakHome implements AutoCloseable {

    static final String STARTED = ".started";
    /** The distribution's version, from the build ({@code keycloak.version} in the parent pom). */
    static final String VERSION = built().getProperty("keycloak.version", "unknown");

    private final Path path;
    private final String startedMark;
    private final FileChannel lockFile;
    private final FileLock lock;

    private KeycloakHome(Path path, String startedMark, FileChannel lockFile, FileLock lock) {
        this.path = path;
        this.startedMark = startedMark;
        this.lockFile = lockFile;
        this.lock = lock;
    }

    /**
     * Locks {@code folder}'s installation for this suite and returns it, unzipped unless one that has started before
     * with the realm {@code realmFingerprint} is there. Fails at once when another suite holds it.
     */
    public static KeycloakHome prepare(Path folder, String realmFingerprint) {
        String name = "keycloak-" + VERSION;
        Path home = folder.resolve(name);
        String mark = VERSION + " " + realmFingerprint + "\n";
        FileChannel lockFile = null;
        FileLock lock = null;
        Path partial = folder.resolve("." + name + ".partial-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(folder);
            lockFile = FileChannel.open(folder.resolve("." + name + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                lock = lockFile.tryLock();
            } catch (OverlappingFileLockException sameJvm) {
                lock = null;
            }
            if (lock == null) {
                throw new IllegalStateException("another suite is using the Keycloak in " + home + ": stop it first, "
                        + "or give this one another folder");
            }
            if (Files.isRegularFile(home.resolve(STARTED)) && mark.equals(Files.readString(home.resolve(STARTED)))) {
                return new KeycloakHome(home, mark, lockFile, lock);
            }
            for (Path leftOver : ToolCache.leftOvers(folder, name)) {
                ToolCache.deleteTree(leftOver);
            }
            ToolCache.deleteTree(home);
            long started = System.nanoTime();
            unzip(distribution(), partial);
            Files.move(partial, home, StandardCopyOption.ATOMIC_MOVE);
            System.out.printf("[devstack] unzipped Keycloak %s into %s in %d ms%n", VERSION, home,
                    (System.nanoTime() - started) / 1_000_000);
            return new KeycloakHome(home, mark, lockFile, lock);
        } catch (IOException | RuntimeException e) {
            try {
                ToolCache.deleteTree(partial);
                if (lockFile != null) {
                    lockFile.close(); // releases the lock too
                }
            } catch (IOException ignored) {
                // reported below
            }
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new UncheckedIOException("cannot unzip Keycloak into " + home + ": " + e.getMessage(), (IOException) e);
        }
    }

    /** The installation's folder ({@code bin/kc.sh}, {@code data/}). */
    public Path path() {
        return path;
    }

    /** Records that Keycloak started from here: from now on it is kept, with its realm and users. */
    public void markStarted() {
        try {
            Files.writeString(path.resolve(STARTED), startedMark);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lets another suite use the installation (call once Keycloak has stopped). */
    @Override
    public void close() {
        try {
            lock.release();
            lockFile.close();
        } catch (IOException ignored) {
            // the lock goes with the process anyway
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
