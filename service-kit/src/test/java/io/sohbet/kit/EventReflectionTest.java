package io.sohbet.kit;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sohbet.events.payload.WaStatus;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class EventReflectionTest {

    private static final RegisterForReflection REGISTERED =
            EventReflection.class.getAnnotation(RegisterForReflection.class);

    @Test
    void everyPayloadRecordIsRegistered() throws Exception {
        Set<String> payloads = topLevelClassesOf(WaStatus.class.getPackageName(), WaStatus.class);
        Set<String> registered = Arrays.stream(REGISTERED.targets()).map(Class::getName).collect(Collectors.toSet());

        assertThat(payloads).as("payload classes found").contains(WaStatus.class.getName()).hasSizeGreaterThan(10);
        assertThat(registered).containsAll(payloads).contains("io.sohbet.events.CloudEvent");
        assertThat(REGISTERED.ignoreNested()).as("nested records (CommerceEvent.Item) go with their outer one").isFalse();
    }

    @Test
    void theEnvelopeNamedByStringExists() throws Exception {
        assertThat(REGISTERED.classNames()).containsExactly(EventReflection.ENVELOPE);
        assertThat(Class.forName(EventReflection.ENVELOPE).isRecord()).isTrue();
    }

    /** Top-level classes of {@code packageName}, read from the directory or jar that holds {@code member}. */
    private static Set<String> topLevelClassesOf(String packageName, Class<?> member) throws Exception {
        URI location = member.getProtectionDomain().getCodeSource().getLocation().toURI();
        Path root = Path.of(location);
        if (Files.isDirectory(root)) {
            return classesUnder(root, packageName);
        }
        try (FileSystem jar = FileSystems.newFileSystem(URI.create("jar:" + location), Map.of())) {
            return classesUnder(jar.getPath("/"), packageName);
        }
    }

    private static Set<String> classesUnder(Path root, String packageName) throws IOException {
        try (Stream<Path> files = Files.list(root.resolve(packageName.replace('.', '/')))) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".class") && !name.contains("$") && !name.equals("package-info.class"))
                    .map(name -> packageName + "." + name.substring(0, name.length() - ".class".length()))
                    .collect(Collectors.toSet());
        }
    }
}
