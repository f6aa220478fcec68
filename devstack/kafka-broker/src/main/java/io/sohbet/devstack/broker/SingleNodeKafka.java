package io.sohbet.devstack.broker;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A single-node KRaft Kafka (broker and controller in one JVM), started as a child process by devstack.
 *
 * <pre>java -cp 'classes:broker-lib/*' io.sohbet.devstack.broker.SingleNodeKafka PORT CONTROLLER_PORT DATA_DIR [OVERRIDES]</pre>
 *
 * OVERRIDES is a properties file whose settings replace or add to the plaintext ones (devstack's secured broker: its
 * listeners, SASL, TLS and authorizer).
 *
 * Formats the storage only when {@code meta.properties} is absent, so a data folder survives restarts.
 * Prints {@value #READY} when the broker serves requests. Exits when its standard input closes, so a
 * parent that dies (even by {@code kill -9}) never leaves a broker behind.
 */
public final class SingleNodeKafka {

    public static final String READY = "KAFKA_READY";

    private SingleNodeKafka() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3 && args.length != 4) {
            System.err.println("usage: SingleNodeKafka PORT CONTROLLER_PORT DATA_DIR [OVERRIDES]");
            System.exit(64);
        }
        long started = System.nanoTime();
        int port = Integer.parseInt(args[0]);
        int controllerPort = Integer.parseInt(args[1]);
        Path dir = Path.of(args[2]).toAbsolutePath();
        Files.createDirectories(dir);
        exitWhenParentGoes();

        Properties config = config(port, controllerPort, dir);
        if (args.length == 4) {
            try (var reader = Files.newBufferedReader(Path.of(args[3]), StandardCharsets.UTF_8)) {
                config.load(reader);
            }
        }
        Path file = dir.resolve("server.properties");
        try (var writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            config.store(writer, "written by SingleNodeKafka");
        }
        if (!Files.exists(dir.resolve("data").resolve("meta.properties"))) {
            format(file);
        }
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(config, false), Time.SYSTEM);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            server.awaitShutdown();
        }, "kafka-shutdown"));
        server.startup();
        System.out.println(READY + " localhost:" + port + " in " + (System.nanoTime() - started) / 1_000_000 + " ms");
        System.out.flush();
        server.awaitShutdown();
    }

    private static Properties config(int port, int controllerPort, Path dir) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.put("log.dirs", dir.resolve("data").toString());
        p.put("num.partitions", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "3");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "3");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // topics are created by devstack with the partition counts the services expect
        p.put("auto.create.topics.enable", "false");
        return p;
    }

    private static void format(Path file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", file.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            System.err.println("formatting KRaft storage failed: " + out.toString(StandardCharsets.UTF_8));
            System.exit(2);
        }
    }

    private static void exitWhenParentGoes() {
        Thread watchdog = new Thread(() -> {
            try {
                while (System.in.read() != -1) {
                    // drain: the parent never writes, it only holds the pipe open
                }
            } catch (Exception ignored) {
                // a broken pipe means the same thing as end of input
            }
            System.exit(0);
        }, "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
