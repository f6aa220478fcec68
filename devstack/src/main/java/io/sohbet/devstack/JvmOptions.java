package io.sohbet.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The services' JVM options and environment, as the chart and the images run them: {@code k8s/files/jvm.options} (one
 * option per line, {@code #} comments), read here so that the local run measures what production runs.
 */
public final class JvmOptions {

    /** The heap of each service in the local run and the tests' packaged replicas (the chart sizes it from the pod). */
    public static final String LOCAL_HEAP = "-Xmx256m";

    /** glibc's arenas: without a cap, every thread that allocates may get a 64 MB arena of its own. */
    public static final Map<String, String> ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");

    private JvmOptions() {
    }

    /** The local heap, then the options of {@code k8s/files/jvm.options} under {@code projectRoot}. */
    public static List<String> local(Path projectRoot) {
        List<String> options = new java.util.ArrayList<>(List.of(LOCAL_HEAP));
        options.addAll(of(projectRoot));
        return options;
    }

    /** The options of {@code k8s/files/jvm.options} under {@code projectRoot}. */
    public static List<String> of(Path projectRoot) {
        Path file = projectRoot.resolve("k8s/files/jvm.options");
        try {
            return Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the services' JVM options " + file, e);
        }
    }
}
