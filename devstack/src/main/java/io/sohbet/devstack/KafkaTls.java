package io.sohbet.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The TLS material of devstack's secured broker, made fresh at each start with the JDK's {@code keytool}: a CA of its
 * own (its certificate in PEM for the clients' truststore) and the broker's key with a certificate from that CA for
 * {@code localhost} and {@code 127.0.0.1}, in a PKCS12 keystore. Valid 30 days; nothing to download, no library.
 * The keystore's password is kept beside it (devstack's data folder: local use only).
 */
record KafkaTls(Path caCertificate, Path keystore, String keystorePassword) {

    /** How long material made earlier is used again (it is valid 30 days): a broker restarted on its data keeps it. */
    private static final Duration REUSE = Duration.ofDays(20);

    /**
     * The material in {@code dir} when it was made less than 20 days ago (so that clients started before a broker
     * restart still trust it), otherwise new material.
     */
    static KafkaTls create(Path dir) {
        Path passwordFile = dir.resolve("password");
        try {
            if (Files.isRegularFile(passwordFile) && Files.isRegularFile(dir.resolve("broker.p12"))
                    && Files.isRegularFile(dir.resolve("ca.crt"))
                    && Files.getLastModifiedTime(dir.resolve("ca.crt")).toInstant().isAfter(Instant.now().minus(REUSE))) {
                return new KafkaTls(dir.resolve("ca.crt"), dir.resolve("broker.p12"), Files.readString(passwordFile).strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Files.createDirectories(dir);
            for (String file : List.of("ca.p12", "ca.crt", "broker.p12", "broker.csr", "broker.crt", "password")) {
                Files.deleteIfExists(dir.resolve(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String password = KafkaCredentials.randomPassword();
        Path ca = dir.resolve("ca.p12");
        Path caCrt = dir.resolve("ca.crt");
        Path broker = dir.resolve("broker.p12");
        keytool(dir, "-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-validity", "30",
                "-dname", "CN=sohbet devstack Kafka CA", "-ext", "bc:c=ca:true", "-ext", "KeyUsage=keyCertSign,cRLSign",
                "-keystore", ca.toString(), "-storetype", "PKCS12", "-storepass", password);
        keytool(dir, "-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-storepass", password,
                "-file", caCrt.toString());
        keytool(dir, "-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "30",
                "-dname", "CN=localhost", "-keystore", broker.toString(), "-storetype", "PKCS12", "-storepass", password);
        keytool(dir, "-certreq", "-alias", "broker", "-keystore", broker.toString(), "-storepass", password,
                "-file", dir.resolve("broker.csr").toString());
        keytool(dir, "-gencert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-storepass", password,
                "-infile", dir.resolve("broker.csr").toString(), "-outfile", dir.resolve("broker.crt").toString(),
                "-validity", "30", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-ext", "KeyUsage=digitalSignature,keyEncipherment", "-ext", "ExtendedKeyUsage=serverAuth");
        keytool(dir, "-importcert", "-noprompt", "-alias", "ca", "-file", caCrt.toString(), "-keystore", broker.toString(),
                "-storepass", password);
        keytool(dir, "-importcert", "-alias", "broker", "-file", dir.resolve("broker.crt").toString(),
                "-keystore", broker.toString(), "-storepass", password);
        try {
            Files.writeString(passwordFile, password, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new KafkaTls(caCrt, broker, password);
    }

    private static void keytool(Path dir, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed: " + output.strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }
}
