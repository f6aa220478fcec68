package io.sohbet.devstack;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kill -9} of a JVM that started PostgreSQL and Kafka leaves neither behind: the children notice that
 * their lifeline (standard input) closed and shut down.
 */
class NoOrphansTest {

    @Test
    void killMinus9OfTheParentLeavesNoPostgresOrKafka() throws Exception {
        Path log = Files.createTempFile("probe", ".log");
        ChildProcess probe = ChildProcess.java("probe", List.of("-Xmx128m"), Classpaths.own(),
                InfrastructureProbe.class.getName(), List.of(), log, line -> line.startsWith("PIDS "));
        String line = probe.awaitReady(Duration.ofSeconds(120));
        long[] pids = Arrays.stream(line.substring(5).trim().split(" ")).mapToLong(Long::parseLong).toArray();
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid)).as("process %d running", pid).isPresent();
        }

        ProcessHandle.of(probe.pid()).orElseThrow().destroyForcibly(); // SIGKILL: no shutdown hooks run

        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        while (System.nanoTime() < deadline && Arrays.stream(pids).anyMatch(NoOrphansTest::alive)) {
            Thread.sleep(200);
        }
        for (long pid : pids) {
            assertThat(alive(pid)).as("process %d (postgres child, postmaster, kafka) still alive", pid).isFalse();
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
