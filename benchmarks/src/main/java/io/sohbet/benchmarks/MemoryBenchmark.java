package io.sohbet.benchmarks;

import io.sohbet.devstack.Suite;
import io.sohbet.devstack.demo.Demo;
import io.sohbet.devstack.whatsapp.CloudApiSimulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resident memory of each service in the local run: starts the suite as {@code ./run-local} does (the services' built
 * quarkus-app with the JVM options of {@code k8s/files/jvm.options}, on free ports, in a data folder of its own), reads
 * each service's VmRSS from {@code /proc/<pid>/status} once the suite has been idle for a while, then plays the demo
 * ({@code ./run-local --demo}) and reads VmRSS and the peak (VmHWM) again.
 * <p>
 * With {@code -Dbenchmark.memory.nmt=true} the services also run with Native Memory Tracking
 * ({@code -XX:NativeMemoryTracking=summary}, through {@code JDK_JAVA_OPTIONS}), and after the demo the benchmark prints
 * where each one's memory goes ({@code jcmd <pid> VM.native_memory summary}: committed per category). Tracking costs a
 * few MB of its own, so the pass/short marks are for a run without it.
 */
public final class MemoryBenchmark {

    static final long GOAL_MB = 300;

    private MemoryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int idleSeconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        Path root = Path.of(System.getProperty("sohbet.root", ".")).toAbsolutePath().normalize();
        Path data = root.resolve("benchmarks/target/memory-run");
        deleteTree(data);
        Map<String, Long> idle = new LinkedHashMap<>();
        Map<String, long[]> afterDemo = new LinkedHashMap<>();
        Map<String, Long> pids = new LinkedHashMap<>();
        boolean nmt = Boolean.getBoolean("benchmark.memory.nmt");
        Map<String, Map<String, Long>> breakdown = new LinkedHashMap<>();
        Map<String, String> environment = new java.util.HashMap<>();
        // a machine loaded by other builds can take longer than Agroal's 5 s for Flyway's first connection (TLS to PostgreSQL)
        environment.put("QUARKUS_DATASOURCE_JDBC_ACQUISITION_TIMEOUT", "60S");
        if (nmt) {
            environment.put("JDK_JAVA_OPTIONS", "-XX:NativeMemoryTracking=summary");
        }
        try (Suite suite = Suite.start(new Suite.Options(root, data, root.resolve(".local"), Map.of(), CloudApiSimulator.Config.local(null),
                environment))) {
            for (String name : Suite.SERVICES) {
                pids.put(name, servicePid(suite.service(name).process().pid()));
            }
            Thread.sleep(idleSeconds * 1000L);
            pids.forEach((name, pid) -> idle.put(name, status(pid, "VmRSS")));
            Demo.run(suite);
            Thread.sleep(5000);
            pids.forEach((name, pid) -> afterDemo.put(name, new long[] {status(pid, "VmRSS"), status(pid, "VmHWM")}));
            if (nmt) {
                pids.forEach((name, pid) -> breakdown.put(name, NativeMemory.summary(pid)));
            }
        }
        System.out.println();
        System.out.printf("memory benchmark: resident memory (VmRSS) of each service in the local run, %d cores, %s, JDK %s, JVM options: %s%n",
                Runtime.getRuntime().availableProcessors(), LocalDate.now(), System.getProperty("java.version"),
                String.join(" ", io.sohbet.devstack.JvmOptions.local(root)));
        System.out.println("| service | idle " + idleSeconds + " s after start | after the demo | peak (VmHWM) | goal | mark |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        for (String name : Suite.SERVICES) {
            long[] after = afterDemo.get(name);
            long highest = Math.max(idle.get(name), after[1]);
            System.out.printf("| %s | %d MB | %d MB | %d MB | <= %d MB | %s |%n", name, idle.get(name) / 1024, after[0] / 1024,
                    after[1] / 1024, GOAL_MB, highest / 1024 <= GOAL_MB ? "pass" : "short");
        }
        System.out.println();
        if (nmt) {
            System.out.println(NativeMemory.table(breakdown, afterDemo));
        }
    }

    /** The service's own JVM: a descendant of the guard process that the suite starts it under. */
    static long servicePid(long guard) {
        Optional<ProcessHandle> service = ProcessHandle.of(guard).stream().flatMap(ProcessHandle::descendants)
                .filter(p -> p.info().commandLine().orElse("").contains("quarkus-run.jar")).findFirst();
        return service.orElseThrow(() -> new IllegalStateException("no service JVM under process " + guard)).pid();
    }

    /** A field of /proc/<pid>/status, in kB. */
    static long status(long pid, String field) {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/" + pid + "/status"));
            return lines.stream().filter(l -> l.startsWith(field + ":")).map(l -> l.replaceAll("[^0-9]", "")).mapToLong(Long::parseLong)
                    .findFirst().orElseThrow();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the status of process " + pid, e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
