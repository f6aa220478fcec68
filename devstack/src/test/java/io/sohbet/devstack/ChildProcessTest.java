package io.sohbet.devstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a child writes is in its log: while it runs, at the moment of a check, and up to its last line when it stops. */
class ChildProcessTest {

    @TempDir
    Path dir;

    /** A shell that prints {@code script}'s output after a ready line. */
    ChildProcess shell(String name, String script, boolean append) {
        ChildProcess child = ChildProcess.start(name, List.of("sh", "-c", "echo ready; " + script), Map.of(),
                dir.resolve(name + ".log"), append, "ready"::equals);
        child.awaitReady(Duration.ofSeconds(10));
        return child;
    }

    String log(String name) throws Exception {
        return Files.readString(dir.resolve(name + ".log"), StandardCharsets.UTF_8);
    }

    void awaitFile(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.exists(file) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(file).as("the child got that far").exists();
    }

    @Test
    void aQuietChildsLastLinesReachTheLogWithoutMoreOutput() throws Exception {
        // a few lines, far less than any buffer, then silence: a service that logged an erasure and waits for work
        Path written = dir.resolve("written");
        try (ChildProcess child = shell("quiet", "for i in 1 2 3 4 5; do echo \"line $i\"; done; echo 'the erasure line'; touch "
                + written + "; exec sleep 600", false)) {
            awaitFile(written);
            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (!log("quiet").contains("the erasure line") && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(log("quiet")).as("the log while the child runs").contains("line 5\nthe erasure line\n");
            assertThat(child.isAlive()).isTrue();
        }
    }

    @Test
    void aLineWrittenJustBeforeASyncIsInTheLogWhenItReturns() throws Exception {
        Path go = dir.resolve("go");
        Path written = dir.resolve("written");
        // the child waits for our signal, writes one line and says so; we sync at once and read
        try (ChildProcess child = shell("sync", "while [ ! -e " + go + " ]; do sleep 0.01; done; echo 'written just before the check'; "
                + "touch " + written + "; exec sleep 600", false)) {
            for (int round = 0; round < 3; round++) {
                assertThat(log("sync")).doesNotContain("written just before the check");
            }
            Files.createFile(go);
            awaitFile(written);
            child.syncLog();
            assertThat(log("sync")).endsWith("ready\nwritten just before the check\n");
        }
    }

    @Test
    void closeReturnsOnceTheLastLineIsInTheLog() throws Exception {
        // the child says goodbye when asked to stop, as a service logs its shutdown
        ChildProcess child = shell("goodbye", "trap 'echo goodbye; exit 0' TERM; while true; do sleep 0.05; done", false);
        child.close();
        assertThat(child.isAlive()).isFalse();
        assertThat(log("goodbye")).isEqualTo("ready\ngoodbye\n");
    }

    @Test
    void aRestartAppendsToTheLogAndAFreshStartReplacesIt() throws Exception {
        instance("echo first instance", false);
        instance("echo second instance", true);
        assertThat(log("service")).isEqualTo("ready\nfirst instance\nready\nsecond instance\n");
        instance("echo third", false);
        assertThat(log("service")).isEqualTo("ready\nthird\n");
    }

    /** An instance of "service" that runs {@code script}, then waits to be stopped: stopped once it has run it. */
    void instance(String script, boolean append) throws Exception {
        Path done = dir.resolve("done");
        Files.deleteIfExists(done);
        // stopped only after its line: on a busy machine a stop right after "ready" can come before the shell reaches it
        try (ChildProcess child = shell("service", script + "; touch " + done + "; exec sleep 600", append)) {
            awaitFile(done);
        }
    }
}
