package io.sohbet.devstack;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The formatted lines one logger writes while it is open, for tests of what a service logs (in the test's own JVM:
 * a {@code @QuarkusTest}). {@code try (CapturedLog log = CapturedLog.of("io.sohbet.kit.Refusals")) { … log.lines() }}.
 */
public final class CapturedLog extends Handler implements AutoCloseable {

    private final Logger logger;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private CapturedLog(String name) {
        this.logger = Logger.getLogger(name);
        logger.addHandler(this);
    }

    public static CapturedLog of(String loggerName) {
        return new CapturedLog(loggerName);
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void publish(LogRecord record) {
        String message = record.getMessage();
        Object[] parameters = record.getParameters();
        if (parameters != null && parameters.length > 0 && message != null && message.contains("%")) {
            message = String.format(message, parameters);
        }
        lines.add(record.getLevel() + " " + message);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
