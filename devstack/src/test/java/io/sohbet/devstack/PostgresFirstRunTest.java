package io.sohbet.devstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * PostgreSQL comes up on a machine that has never run the project: an empty cache, a parent JVM with a small heap, and
 * after a first run that was killed while unpacking (the half-filled folder that used to break every later run).
 * Each start is a separate JVM with its own cache folder, as on a new user's machine.
 */
class PostgresFirstRunTest {

    /** The parent's heap: zonky's unpacking needed more than 64 MB and failed with OutOfMemoryError. */
    private static final String SMALL_HEAP = "-Xmx32m";

    @TempDir
    Path dir;

    @Test
    void startsWithAnEmptyCacheAndASmallHeap() throws Exception {
        Path cache = dir.resolve("cache");

        try (ChildProcess probe = probe(cache, "first")) {
            assertServes(probe, dir.resolve("first-data"));
        }

        Path binaries = cache.resolve(PostgresBinaries.toolName());
        assertThat(binaries.resolve("bin/postgres")).isExecutable();
        assertThat(binaries.resolve(ToolCache.COMPLETE)).isRegularFile();
        assertThat(ToolCache.leftOvers(cache, PostgresBinaries.toolName())).isEmpty();
    }

    @Test
    void startsAfterAnInterruptedUnpackingLeftFilesBehind() throws Exception {
        Path cache = dir.resolve("cache");
        String name = PostgresBinaries.toolName();
        // what a killed run leaves: a temporary sibling, and (older versions) a tool folder without its marker
        Path partial = Files.createDirectories(cache.resolve("." + name + ".partial-999999/lib"));
        Files.writeString(partial.resolve("libicuuc.so"), "half");
        Path unmarked = Files.createDirectories(cache.resolve(name + "/lib"));
        Files.createSymbolicLink(unmarked.resolve("libicuuc.so"), Path.of("libicuuc.so.60.2"));

        try (ChildProcess probe = probe(cache, "after-partial")) {
            assertServes(probe, dir.resolve("after-partial-data"));
        }

        assertThat(ToolCache.leftOvers(cache, name)).isEmpty();
        assertThat(cache.resolve(name).resolve(ToolCache.COMPLETE)).isRegularFile();
    }

    @Test
    void startsAfterTheFirstRunWasKilledWhileUnpacking() throws Exception {
        Path cache = dir.resolve("cache");
        String name = PostgresBinaries.toolName();
        ChildProcess first = probe(cache, "killed");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && (!Files.isDirectory(cache) || ToolCache.leftOvers(cache, name).isEmpty())) {
            Thread.sleep(5);
        }
        ProcessHandle.of(first.pid()).orElseThrow().destroyForcibly(); // SIGKILL mid-unpacking: nothing cleans up
        ProcessHandle.of(first.pid()).ifPresent(p -> p.onExit().join());
        assertThat(ToolCache.leftOvers(cache, name)).as("a half-unpacked folder left by the killed run").isNotEmpty();
        assertThat(cache.resolve(name)).doesNotExist();

        try (ChildProcess second = probe(cache, "second")) {
            assertServes(second, dir.resolve("second-data"));
        }
        assertThat(ToolCache.leftOvers(cache, name)).isEmpty();
    }

    private ChildProcess probe(Path cache, String name) {
        return ChildProcess.java(name, List.of(SMALL_HEAP, "-XX:+UseSerialGC", "-Dsohbet.cache=" + cache), Classpaths.own(),
                PostgresProbe.class.getName(), List.of(dir.resolve(name + "-data").toString(),
                        dir.resolve(name + "-postgres.log").toString()),
                dir.resolve(name + ".log"), line -> line.startsWith("PORT "));
    }

    /** Serves PostgreSQL 17 with the data folder's own password, and nobody without it. */
    private static void assertServes(ChildProcess probe, Path data) throws Exception {
        int port = Integer.parseInt(probe.awaitReady(Duration.ofSeconds(120)).substring(5).trim());
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres",
                Postgres.USER, PostgresServer.password(data)); ResultSet rs = connection.createStatement().executeQuery("SHOW server_version")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).startsWith("17.");
        }
        assertThat(PostgresServer.password(data)).hasSizeGreaterThan(20);
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres",
                Postgres.USER, "postgres").close()).hasMessageContaining("password authentication failed");
    }
}
