package io.sohbet.devstack;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Where the project and the Kafka broker's separate classpath are. */
final class Classpaths {

    private Classpaths() {
    }

    /** The project's root folder: {@code -Dsohbet.root}, else the nearest parent of the working folder with mvnw. */
    static Path projectRoot() {
        String configured = System.getProperty("sohbet.root");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.exists(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("devstack"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("cannot find the Sohbet project root from " + Path.of("").toAbsolutePath()
                + "; set -Dsohbet.root");
    }

    /** The broker's classpath: its own classes and {@code broker-lib}, built by the devstack/kafka-broker module. */
    static List<Path> kafkaBroker() {
        Path target = projectRoot().resolve("devstack/kafka-broker/target");
        if (!Files.isDirectory(target.resolve("broker-lib")) || !Files.isDirectory(target.resolve("classes"))) {
            throw new IllegalStateException(target + " has no broker classpath: build the project first "
                    + "(./mvnw install -DskipTests)");
        }
        return List.of(target.resolve("classes"), target.resolve("broker-lib").resolve("*"));
    }

    /** This JVM's own classpath, for children that run devstack code (PostgreSQL). */
    static List<Path> own() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator)).map(Path::of).toList();
    }
}
