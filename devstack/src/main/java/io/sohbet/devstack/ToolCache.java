package io.sohbet.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The folder where devstack keeps what it unpacks once (PostgreSQL's binaries; Keycloak is unzipped per suite, see
 * {@link KeycloakHome}), and the one way it fills it: every tool in a folder of its own that appears whole or not at
 * all. A tool is unpacked into
 * a temporary sibling ({@code .<name>.partial-<pid>}), marked complete and renamed into place, all under a file lock
 * that every process on the machine respects. A run killed halfway leaves only a temporary sibling, which the next
 * run deletes; it never leaves a half-filled tool folder that later runs would trust.
 *
 * <p>The folder is, first found: the system property {@code sohbet.cache}, the environment variable
 * {@code SOHBET_CACHE}, {@code .local/cache} in the project's root folder, or {@code $XDG_CACHE_HOME/sohbet}
 * ({@code ~/.cache/sohbet}). Deleting it is always safe while nothing runs: the next start unpacks again.
 */
public final class ToolCache {

    /** Written last into a tool's folder, before it is renamed into place. */
    static final String COMPLETE = ".complete";

    /** Fills an empty folder with a tool; may throw anything, the half-filled folder is then thrown away. */
    @FunctionalInterface
    public interface Unpacker {
        void unpackInto(Path emptyFolder) throws IOException;
    }

    private ToolCache() {
    }

    /** The cache folder this JVM uses (see the class comment); not created here. */
    public static Path root() {
        String property = System.getProperty("sohbet.cache");
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        String environment = System.getenv("SOHBET_CACHE");
        if (environment != null && !environment.isBlank()) {
            return Path.of(environment).toAbsolutePath().normalize();
        }
        try {
            return Classpaths.projectRoot().resolve(".local/cache");
        } catch (IllegalStateException outsideTheProject) {
            String xdg = System.getenv("XDG_CACHE_HOME");
            Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
            return base.resolve("sohbet").toAbsolutePath().normalize();
        }
    }

    /** The folder of tool {@code name} in {@link #root()}, unpacked by {@code unpacker} unless it is there already. */
    public static Path tool(String name, Unpacker unpacker) {
        return tool(root(), name, unpacker);
    }

    /**
     * The folder of tool {@code name} in {@code root}, unpacked by {@code unpacker} unless a complete one is there.
     * Threads of one JVM wait for each other; other processes wait on the lock file {@code .<name>.lock}.
     */
    public static synchronized Path tool(Path root, String name, Unpacker unpacker) {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("not a tool name: " + name);
        }
        Path folder = root.resolve(name);
        if (Files.isRegularFile(folder.resolve(COMPLETE))) {
            return folder;
        }
        try {
            Files.createDirectories(root);
            try (FileChannel lockFile = FileChannel.open(root.resolve("." + name + ".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
                if (Files.isRegularFile(folder.resolve(COMPLETE))) {
                    return folder; // another process finished it while we waited
                }
                for (Path leftOver : leftOvers(root, name)) {
                    deleteTree(leftOver);
                }
                deleteTree(folder); // not complete: not ours, or from before folders were renamed into place
                Path partial = root.resolve("." + name + ".partial-" + ProcessHandle.current().pid());
                Files.createDirectories(partial);
                long started = System.nanoTime();
                try {
                    unpacker.unpackInto(partial);
                    Files.writeString(partial.resolve(COMPLETE), name + "\n");
                    Files.move(partial, folder, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException | RuntimeException e) {
                    deleteTree(partial);
                    throw e;
                }
                System.out.printf("[devstack] unpacked %s into %s in %d ms (first use)%n", name, folder,
                        (System.nanoTime() - started) / 1_000_000);
                return folder;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + name + " into " + root + ": " + e.getMessage(), e);
        }
    }

    /** Temporary siblings of {@code name} that a killed run left behind. */
    static List<Path> leftOvers(Path root, String name) throws IOException {
        try (Stream<Path> children = Files.list(root)) {
            return children.filter(p -> p.getFileName().toString().startsWith("." + name + ".partial-")).toList();
        }
    }

    static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) { // does not follow symbolic links
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
