package io.sohbet.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Native Memory Tracking of a running JVM: {@code jcmd <pid> VM.native_memory summary}, read into committed KB per
 * category ({@code Java Heap}, {@code Class}, {@code Thread}, {@code Code}, ...), plus {@code Total} and the thread count
 * ({@code threads}).
 */
final class NativeMemory {

    /**
     * The categories printed in columns of their own; the others are summed into "rest". On JDK 17, "Class" is the
     * compressed class space and "Metaspace" the rest of the class metadata; "Other" holds direct byte buffers.
     */
    static final List<String> COLUMNS = List.of("Java Heap", "Metaspace", "Class", "Code", "Symbol", "Thread", "Shared class space",
            "GC", "Compiler", "Internal", "Other", "Arena Chunk", "Native Memory Tracking");

    private static final Pattern CATEGORY = Pattern.compile("^-\\s+(.+?) \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");
    private static final Pattern TOTAL = Pattern.compile("^Total: reserved=(\\d+)KB, committed=(\\d+)KB");
    private static final Pattern THREADS = Pattern.compile("\\(thread #(\\d+)\\)");

    private NativeMemory() {
    }

    /** Committed KB per category of the JVM {@code pid} (which must run with {@code -XX:NativeMemoryTracking}). */
    static Map<String, Long> summary(long pid) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process process = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "VM.native_memory", "summary", "scale=KB")
                    .redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + pid + " VM.native_memory failed: " + out);
            }
            return parse(out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run jcmd", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Long> parse(String summary) {
        Map<String, Long> committed = new LinkedHashMap<>();
        for (String line : summary.split("\n")) {
            String l = line.strip();
            Matcher total = TOTAL.matcher(l);
            Matcher category = CATEGORY.matcher(l);
            Matcher threads = THREADS.matcher(l);
            if (total.find()) {
                committed.put("Total", Long.parseLong(total.group(2)));
            } else if (category.find()) {
                committed.put(category.group(1), Long.parseLong(category.group(3)));
            } else if (threads.find()) {
                committed.put("threads", Long.parseLong(threads.group(1)));
            }
        }
        if (!committed.containsKey("Total")) {
            throw new IllegalStateException("no Native Memory Tracking summary in: " + summary);
        }
        return committed;
    }

    /** A Markdown table: one row per service, MB committed per category, the NMT total and the resident memory after the demo. */
    static String table(Map<String, Map<String, Long>> services, Map<String, long[]> afterDemo) {
        StringBuilder out = new StringBuilder("Native Memory Tracking after the demo (committed MB per category; RSS includes tracking's own "
                + "overhead)\n\n| service | " + String.join(" | ", COLUMNS) + " | rest | NMT total | VmRSS | RSS outside NMT | threads |\n|"
                + " --- |".repeat(COLUMNS.size() + 6) + "\n");
        services.forEach((name, committed) -> {
            out.append("| ").append(name).append(" | ");
            long shown = 0;
            for (String column : COLUMNS) {
                long kb = committed.getOrDefault(column, 0L);
                shown += kb;
                out.append(mb(kb)).append(" | ");
            }
            long total = committed.get("Total");
            long rss = afterDemo.get(name)[0];
            out.append(mb(total - shown)).append(" | ").append(mb(total)).append(" | ").append(mb(rss)).append(" | ")
                    .append(mb(rss - total)).append(" | ").append(committed.getOrDefault("threads", 0L)).append(" |\n");
        });
        return out.toString();
    }

    private static String mb(long kb) {
        return String.format(java.util.Locale.ROOT, "%.1f", kb / 1024.0);
    }
}
