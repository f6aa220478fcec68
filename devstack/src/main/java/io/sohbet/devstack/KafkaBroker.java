package io.sohbet.devstack;

import io.sohbet.events.TopicAccess;
import io.sohbet.events.Topics;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * A real single-node KRaft Kafka 4.4 broker in a child JVM with its own classpath: open (PLAINTEXT, anyone may do
 * anything), or {@linkplain #startSecured secured} as the chart's Strimzi cluster is.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final String MAIN = "io.sohbet.devstack.broker.SingleNodeKafka";
    /** The secured broker's own principal (inter-broker and controller listeners) and the admin's: super users. */
    static final String BROKER_USER = "broker";
    public static final String ADMIN_USER = "admin";

    private final ChildProcess process;
    private final int port;
    private final Secured secured;
    private final Map<String, KafkaCredentials> users = new ConcurrentHashMap<>();

    /** What a secured broker adds: its loopback listener for devstack's own administration, and its CA. */
    private record Secured(int internalPort, String brokerPassword, Path caCertificate) {
    }

    private KafkaBroker(ChildProcess process, int port, Secured secured) {
        this.process = process;
        this.port = port;
        this.secured = secured;
    }

    /** Starts the broker on {@code port} (0 = any free one) with its data in {@code dataDir} (kept if present). */
    public static KafkaBroker start(int port, Path dataDir, Path log) {
        int chosen = port == 0 ? Ports.free() : port;
        ChildProcess child = launch(List.of(String.valueOf(chosen), String.valueOf(Ports.free()), dataDir.toString()), log);
        child.awaitReady(Duration.ofSeconds(90));
        return new KafkaBroker(child, chosen, null);
    }

    /**
     * Starts the broker secured, like the Strimzi cluster the chart expects: its clients' listener on {@code port} is
     * SASL_SSL with SCRAM-SHA-512 only, with a CA and a server certificate for localhost made at start
     * ({@link KafkaTls}); KRaft's {@code StandardAuthorizer} denies whatever no ACL allows; the super users are the
     * broker itself (SASL/PLAIN on loopback listeners for inter-broker and controller traffic, a password made at
     * start) and the SCRAM user {@value #ADMIN_USER} ({@link #admin()}). Give the services their users with
     * {@link #createServiceUsers}.
     */
    public static KafkaBroker startSecured(int port, Path dataDir, Path log) {
        int chosen = port == 0 ? Ports.free() : port;
        int internal = Ports.free();
        int controller = Ports.free();
        KafkaTls tls = KafkaTls.create(dataDir.resolve("tls"));
        String brokerPassword = KafkaCredentials.randomPassword();
        String plain = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + BROKER_USER
                + "\" password=\"" + brokerPassword + "\" user_" + BROKER_USER + "=\"" + brokerPassword + "\";";
        Properties overrides = new Properties();
        overrides.put("listeners", "CLIENTS://localhost:" + chosen + ",INTERNAL://localhost:" + internal
                + ",CONTROLLER://localhost:" + controller);
        overrides.put("advertised.listeners", "CLIENTS://localhost:" + chosen + ",INTERNAL://localhost:" + internal);
        overrides.put("controller.quorum.voters", "1@localhost:" + controller);
        overrides.put("listener.security.protocol.map", "CLIENTS:SASL_SSL,INTERNAL:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
        overrides.put("inter.broker.listener.name", "INTERNAL");
        overrides.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        overrides.put("sasl.mechanism.controller.protocol", "PLAIN");
        overrides.put("listener.name.clients.sasl.enabled.mechanisms", KafkaCredentials.MECHANISM);
        overrides.put("listener.name.clients.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        for (String listener : List.of("internal", "controller")) {
            overrides.put("listener.name." + listener + ".sasl.enabled.mechanisms", "PLAIN");
            overrides.put("listener.name." + listener + ".plain.sasl.jaas.config", plain);
        }
        overrides.put("ssl.keystore.type", "PKCS12");
        overrides.put("ssl.keystore.location", tls.keystore().toString());
        overrides.put("ssl.keystore.password", tls.keystorePassword());
        overrides.put("ssl.key.password", tls.keystorePassword());
        overrides.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        overrides.put("allow.everyone.if.no.acl.found", "false");
        overrides.put("super.users", "User:" + BROKER_USER + ";User:" + ADMIN_USER);
        Path file = dataDir.resolve("security.properties");
        try {
            Files.createDirectories(dataDir);
            try (var writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                overrides.store(writer, "written by devstack KafkaBroker.startSecured");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChildProcess child = launch(List.of(String.valueOf(chosen), String.valueOf(controller), dataDir.toString(),
                file.toString()), log);
        child.awaitReady(Duration.ofSeconds(90));
        KafkaBroker broker = new KafkaBroker(child, chosen, new Secured(internal, brokerPassword, tls.caCertificate()));
        broker.createUsers(Map.of(ADMIN_USER, List.of()));
        return broker;
    }

    /**
     * Starts the broker's JVM; pinned to the CPUs of the {@code sohbet.devstack.kafka-cpus} system property when it is
     * set (a {@code taskset -c} list such as {@code 1} or {@code 2-3}: the broker on cores of its own, as in production,
     * for benchmarks), else free to run anywhere as before.
     */
    private static ChildProcess launch(List<String> args, Path log) {
        String cpus = System.getProperty("sohbet.devstack.kafka-cpus", "").strip();
        if (cpus.isEmpty()) {
            return ChildProcess.java("kafka", jvmOptions(), Classpaths.kafkaBroker(), MAIN, args, log,
                    line -> line.startsWith("KAFKA_READY"));
        }
        List<String> command = new ArrayList<>(List.of("taskset", "-c", cpus,
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions());
        command.add("-cp");
        command.add(String.join(java.io.File.pathSeparator, Classpaths.kafkaBroker().stream().map(Path::toString).toList()));
        command.add(MAIN);
        command.addAll(args);
        return ChildProcess.start("kafka", command, Map.of(), log, line -> line.startsWith("KAFKA_READY"));
    }

    /**
     * The broker's JVM options: small and quick to start for tests (serial GC, C1 only), or those of the
     * {@code sohbet.devstack.kafka-jvm} system property (space-separated), e.g. a production-like heap and G1 for
     * benchmarks, where a serial collector's pauses would show up as the service's latency.
     */
    static List<String> jvmOptions() {
        String configured = System.getProperty("sohbet.devstack.kafka-jvm", "").strip();
        return configured.isEmpty() ? List.of("-Xms128m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")
                : List.of(configured.split("\\s+"));
    }

    /** The clients' listener: PLAINTEXT, or SASL_SSL when secured (use {@link #clientSettings} with it). */
    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public boolean secured() {
        return secured != null;
    }

    /** The broker's CA certificate (PEM), the truststore of its clients; empty when not secured. */
    public Optional<Path> caCertificate() {
        return Optional.ofNullable(secured).map(Secured::caCertificate);
    }

    /** The super user {@value #ADMIN_USER} of a secured broker. */
    public KafkaCredentials admin() {
        return credentials(ADMIN_USER);
    }

    /** The SCRAM user named {@code username} created on this secured broker. */
    public KafkaCredentials credentials(String username) {
        KafkaCredentials found = users.get(username);
        if (found == null) {
            throw new IllegalStateException("no Kafka user " + username + (secured() ? "" : ": the broker is not secured"));
        }
        return found;
    }

    /** Bootstrap servers plus, when secured, the login of {@code username}: the settings of one of its clients. */
    public Map<String, Object> clientSettings(String username) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        if (secured()) {
            settings.putAll(credentials(username).clientSettings());
        }
        return settings;
    }

    /**
     * Creates a SCRAM-SHA-512 user per service, named after it, with the ACLs of {@link TopicAccess#acls()} (the
     * chart's KafkaUsers grant the same), and returns their credentials by service name. A user that exists gets a new
     * password; ACLs that exist stay.
     */
    public Map<String, KafkaCredentials> createServiceUsers(List<TopicAccess> services) {
        Map<String, List<TopicAccess.Acl>> acls = new HashMap<>();
        services.forEach(s -> acls.put(s.service(), s.acls()));
        createUsers(acls);
        Map<String, KafkaCredentials> created = new HashMap<>();
        services.forEach(s -> created.put(s.service(), credentials(s.service())));
        return created;
    }

    private void createUsers(Map<String, List<TopicAccess.Acl>> acls) {
        if (!secured()) {
            throw new IllegalStateException("the broker is not secured: it has no users");
        }
        Map<String, KafkaCredentials> created = new HashMap<>();
        List<UserScramCredentialAlteration> alterations = new ArrayList<>();
        List<AclBinding> bindings = new ArrayList<>();
        acls.forEach((user, granted) -> {
            KafkaCredentials credentials = new KafkaCredentials(user, KafkaCredentials.randomPassword(), secured.caCertificate());
            created.put(user, credentials);
            alterations.add(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), credentials.password()));
            bindings.addAll(bindings(user, granted));
        });
        try (Admin admin = Admin.create(superUser())) {
            admin.alterUserScramCredentials(alterations).all().get();
            if (!bindings.isEmpty()) {
                admin.createAcls(bindings).all().get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create Kafka users: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating Kafka users", e);
        }
        users.putAll(created);
        // the credentials went into one metadata batch: when one user can log in, all can
        awaitLogin(created.keySet().iterator().next());
    }

    /** Allows {@code username} more than its service's ACLs, e.g. what the chart's strimzi.users.dlqReplay adds. */
    public void grant(String username, List<TopicAccess.Acl> acls) {
        try (Admin admin = Admin.create(superUser())) {
            admin.createAcls(bindings(username, acls)).all().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create ACLs: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating ACLs", e);
        }
    }

    private static List<AclBinding> bindings(String user, List<TopicAccess.Acl> acls) {
        List<AclBinding> bindings = new ArrayList<>();
        for (TopicAccess.Acl acl : acls) {
            ResourceType type = acl.type().equals("group") ? ResourceType.GROUP : ResourceType.TOPIC;
            bindings.add(new AclBinding(new ResourcePattern(type, acl.name(), PatternType.LITERAL),
                    new AccessControlEntry("User:" + user, "*", AclOperation.fromString(acl.operation()), AclPermissionType.ALLOW)));
        }
        return bindings;
    }

    /** Waits until the broker accepts the user's new password (the credential reaches it through the metadata log). */
    private void awaitLogin(String username) {
        Map<String, Object> settings = clientSettings(username);
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try (Admin admin = Admin.create(settings)) {
                admin.describeCluster().clusterId().get();
                return;
            } catch (ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Kafka user " + username + " cannot log in: " + e.getCause().getMessage(),
                            e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Kafka user " + username, e);
            }
        }
    }

    /** The broker's own login on its loopback listener (secured), or the open listener: for devstack's administration. */
    private Map<String, Object> superUser() {
        if (!secured()) {
            return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        }
        return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + secured.internalPort(),
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM, "PLAIN",
                SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                        + BROKER_USER + "\" password=\"" + secured.brokerPassword() + "\";");
    }

    public long pid() {
        return process.pid();
    }

    /** Creates every Sohbet topic and its dead-letter topic, keeping those that exist. */
    public void createSohbetTopics() {
        List<NewTopic> topics = new ArrayList<>();
        for (String topic : Topics.ALL) {
            NewTopic created = new NewTopic(topic, Topics.PARTITIONS, (short) 1);
            topics.add(Topics.COMPACTED.contains(topic) ? created.configs(Map.of("cleanup.policy", "compact")) : created);
            topics.add(new NewTopic(Topics.deadLetter(topic), Topics.DLQ_PARTITIONS, (short) 1));
        }
        createTopics(topics);
    }

    public void createTopics(List<NewTopic> topics) {
        try (Admin admin = Admin.create(superUser())) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topics: " + e.getCause().getMessage(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
