package io.sohbet.devstack;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A child process whose output goes to a log file and whose standard input stays open as a lifeline: every
 * child devstack starts exits when that pipe closes, which the kernel does when this JVM dies, even by
 * {@code kill -9}. So no PostgreSQL, Kafka or service is ever left behind.
 *
 * <p>The log holds every byte the child wrote: what the pipe holds is written and flushed within a few milliseconds
 * (the file is never behind by a buffer), {@link #syncLog()} writes out whatever the child has written up to that
 * moment, and {@link #close()} returns only once the last line is in the file. A tool that reads the log (the
 * end-to-end test's "no personal data in logs") therefore sees every line.
 */
public final class ChildProcess implements AutoCloseable {

    /** How often the pump looks at the pipe when it was empty. */
    private static final long IDLE_MILLIS = 5;

    private final String name;
    private final Process process;
    private final Path log;
    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private final Object logLock = new Object();
    /** The current line's bytes, until the ready line has been seen (then lines are no longer split). */
    private final ByteArrayOutputStream partialLine = new ByteArrayOutputStream();
    private final byte[] buffer = new byte[16 * 1024];
    private final Thread pump;
    /** Written under {@link #logLock}; null before the pump opened the file and after it closed it. */
    private OutputStream logOut;

    private ChildProcess(String name, Process process, Path log, OutputStream logOut, Predicate<String> readyLine) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.logOut = logOut;
        this.pump = new Thread(() -> pump(readyLine), name + "-log");
        pump.setDaemon(true);
        pump.start();
    }

    /** Starts {@code java -cp classpath mainClass args} with the JVM running this code. */
    public static ChildProcess java(String name, List<String> jvmOptions, List<Path> classpath, String mainClass,
            List<String> args, Path log, Predicate<String> readyLine) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classpath.stream().map(Path::toString).toList()));
        command.add(mainClass);
        command.addAll(args);
        return start(name, command, Map.of(), log, readyLine);
    }

    /**
     * Starts the packaged {@code service} of the module under test ({@code target/quarkus-app/quarkus-run.jar}, with the
     * JVM options and environment production runs it with: {@link JvmOptions}) with {@code systemProperties} as
     * {@code -D} options, its output in {@code target/<name>.log}, and waits
     * until Quarkus says it started: for the tests that kill a service or run several replicas of it.
     */
    public static ChildProcess packaged(String service, String name, Map<String, String> systemProperties,
            Duration ready) {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: the package phase builds it");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(JvmOptions.local(Classpaths.projectRoot()));
        systemProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", jar.toString()));
        ChildProcess process = start(name, command, JvmOptions.ENVIRONMENT, Path.of("target/" + name + ".log"),
                line -> line.contains(service) && line.contains("started in"));
        process.awaitReady(ready);
        return process;
    }

    /** Starts {@code command}; its output replaces what {@code log} held. */
    public static ChildProcess start(String name, List<String> command, Map<String, String> environment, Path log,
            Predicate<String> readyLine) {
        return start(name, command, environment, log, false, readyLine);
    }

    /**
     * Starts {@code command} with its output (standard error too) in {@code log}, after what the file holds when
     * {@code append} (a restarted service keeps the lines of the instance before it), else instead of it.
     */
    public static ChildProcess start(String name, List<String> command, Map<String, String> environment, Path log,
            boolean append, Predicate<String> readyLine) {
        OutputStream out = null;
        try {
            Files.createDirectories(log.getParent());
            out = new BufferedOutputStream(Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING), 64 * 1024);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(environment);
            return new ChildProcess(name, builder.start(), log, out, readyLine);
        } catch (IOException e) {
            if (out != null) {
                try {
                    out.close();
                } catch (IOException ignored) {
                    // reporting the first failure
                }
            }
            throw new IllegalStateException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    /** Waits for the ready line and returns it; fails with the log's location when the child dies or is late. */
    public String awaitReady(Duration timeout) {
        try {
            return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            close();
            throw new IllegalStateException(name + " not ready after " + timeout.toSeconds() + " s, see " + log);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while starting " + name, e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /**
     * Writes everything the child has written so far into the log file and flushes it: a line the child wrote before
     * this call is in the file when it returns (what is still in the child's own buffers is not written yet).
     */
    public void syncLog() {
        synchronized (logLock) {
            try {
                drain(process.getInputStream(), null);
                if (logOut != null) {
                    logOut.flush();
                }
            } catch (IOException e) {
                // the child is gone and its pipe with it: nothing more to write
            }
        }
    }

    /**
     * Closes the lifeline (the child shuts down cleanly), then forces it after 30 s; returns once the child's last
     * line is in the log.
     */
    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                process.getOutputStream().close();
                // the handle's SIGTERM leaves the pipes open (Process.destroy() closes them at once, and the child's
                // goodbye lines would be lost, or kill it with SIGPIPE)
                process.toHandle().destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.toHandle().destroyForcibly();
                }
            } catch (IOException e) {
                process.toHandle().destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.toHandle().destroyForcibly();
            }
        }
        try {
            pump.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Copies the child's output into the log: whatever the pipe holds, under the log lock and flushed (so the file is
     * never behind by more than {@link #IDLE_MILLIS}), then a short wait when it held nothing; after the child exited,
     * until the end of the pipe (a grandchild may still write).
     */
    private void pump(Predicate<String> readyLine) {
        InputStream in = process.getInputStream();
        try {
            while (process.isAlive()) {
                boolean wrote;
                synchronized (logLock) {
                    wrote = drain(in, readyLine);
                    if (wrote) {
                        logOut.flush();
                    }
                }
                if (!wrote) {
                    Thread.sleep(IDLE_MILLIS);
                }
            }
            int n;
            while ((n = in.read(buffer)) != -1) {
                synchronized (logLock) {
                    write(n, readyLine);
                }
            }
        } catch (IOException ignored) {
            // the pipe is gone with the child; handled below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (logLock) {
                try {
                    logOut.close();
                } catch (IOException ignored) {
                    // nothing more can be done about the log
                }
                logOut = null;
            }
        }
        ready.completeExceptionally(new IllegalStateException(name + " exited before it was ready, see " + log + lastLines()));
    }

    /** Writes what the pipe holds now without blocking (caller holds the log lock); true when there was something. */
    private boolean drain(InputStream in, Predicate<String> readyLine) throws IOException {
        boolean wrote = false;
        int available;
        while (logOut != null && (available = in.available()) > 0) {
            int n = in.read(buffer, 0, Math.min(available, buffer.length));
            if (n <= 0) {
                break;
            }
            write(n, readyLine);
            wrote = true;
        }
        return wrote;
    }

    /** Writes {@code n} bytes of the buffer to the log and, until the ready line came, looks for it. */
    private void write(int n, Predicate<String> readyLine) throws IOException {
        if (logOut == null) {
            return;
        }
        logOut.write(buffer, 0, n);
        if (readyLine == null || ready.isDone()) {
            return;
        }
        for (int i = 0; i < n && !ready.isDone(); i++) {
            if (buffer[i] == '\n') {
                String raw = partialLine.toString(StandardCharsets.UTF_8);
                partialLine.reset();
                String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
                if (readyLine.test(line)) {
                    logOut.flush();
                    ready.complete(line);
                }
            } else {
                partialLine.write(buffer[i]);
            }
        }
    }

    /** The end of the log, so that the reason shows where the failure is reported. */
    private String lastLines() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return lines.isEmpty() ? "" : "; it said:\n  " + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 6), lines.size()));
        } catch (IOException | java.io.UncheckedIOException e) {
            return "";
        }
    }
}
