package io.sohbet.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * For a module's unit test: the Kafka consumer methods ({@code @Incoming}) of its compiled classes that are not
 * guarded by {@code @ApplyGuard} (on the method or its class), so that no consumer skips the retry of transient
 * failures. Classes are loaded without being initialised; annotations are matched by name.
 */
public final class GuardedConsumers {

    static final String INCOMING = "org.eclipse.microprofile.reactive.messaging.Incoming";
    static final String APPLY_GUARD = "io.smallrye.faulttolerance.api.ApplyGuard";

    private GuardedConsumers() {
    }

    /** {@code Class#method} of every {@code @Incoming} method under {@code classes} without a guard, and how many there are in all. */
    public static Report of(Path classes) {
        List<String> consumers = new ArrayList<>();
        List<String> unguarded = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type;
                try {
                    type = Class.forName(name, false, GuardedConsumers.class.getClassLoader());
                } catch (ClassNotFoundException | LinkageError e) {
                    continue;
                }
                Method[] methods;
                try {
                    methods = type.getDeclaredMethods();
                } catch (LinkageError e) {
                    continue;
                }
                for (Method method : methods) {
                    if (has(method, INCOMING)) {
                        consumers.add(type.getSimpleName() + "#" + method.getName());
                        if (!has(method, APPLY_GUARD) && !has(type, APPLY_GUARD)) {
                            unguarded.add(type.getName() + "#" + method.getName());
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Report(consumers, unguarded);
    }

    private static boolean has(AnnotatedElement element, String annotation) {
        return Arrays.stream(element.getAnnotations()).map(Annotation::annotationType).anyMatch(t -> t.getName().equals(annotation));
    }

    /** The consumer methods found, and those without a guard. */
    public record Report(List<String> consumers, List<String> unguarded) {
    }
}
