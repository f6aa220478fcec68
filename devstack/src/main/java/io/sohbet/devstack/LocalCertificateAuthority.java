package io.sohbet.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority of its own and one server certificate it signed, as PEM files in a folder, made with the
 * JDK's {@code keytool} (no library, no openssl): what cert-manager and CloudNativePG give the services in a cluster,
 * for the local PostgreSQL ({@code ssl=on}, clients verify-full) and the tests of HTTPS between the services. Each
 * name is an authority of its own: a client that trusts one refuses what another signed.
 */
public final class LocalCertificateAuthority {

    /** The authority's certificate (what clients trust), the server's certificate and its private key (PKCS#8). */
    public record Issued(Path caCertificate, Path certificate, Path privateKey) {
    }

    /** Of the keystores keytool works in, deleted once the PEM files are written. */
    private static final String STORE_PASSWORD = "local-only";

    private LocalCertificateAuthority() {
    }

    /**
     * The authority named {@code name} and its server certificate, made once into {@link ToolCache} and kept there
     * (they last ten years; keytool takes seconds): the server's names are {@code localhost} and 127.0.0.1. Another
     * name is another authority. The private key is readable by its owner only.
     */
    public static Issued cached(String name) {
        Path folder = ToolCache.tool("tls-" + name, LocalCertificateAuthority::issueInto);
        return new Issued(folder.resolve("ca.crt"), folder.resolve("server.crt"), folder.resolve("server.key"));
    }

    private static void issueInto(Path folder) throws IOException {
        Path ca = folder.resolve("ca.p12");
        Path server = folder.resolve("server.p12");
        keytool("-genkeypair", "-keystore", ca.toString(), "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=Sohbet local CA", "-ext", "bc:c", "-validity", "3650");
        keytool("-genkeypair", "-keystore", server.toString(), "-alias", "server", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=localhost", "-validity", "3650");
        keytool("-certreq", "-keystore", server.toString(), "-alias", "server", "-file", folder.resolve("server.csr").toString());
        keytool("-gencert", "-keystore", ca.toString(), "-alias", "ca", "-infile", folder.resolve("server.csr").toString(),
                "-outfile", folder.resolve("server.crt").toString(), "-rfc", "-validity", "3650",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-ext", "EKU=serverAuth", "-ext", "KU=digitalSignature,keyEncipherment");
        keytool("-exportcert", "-keystore", ca.toString(), "-alias", "ca", "-rfc", "-file", folder.resolve("ca.crt").toString());
        Path key = folder.resolve("server.key");
        Files.writeString(key, pem("PRIVATE KEY", privateKey(server).getEncoded()), StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        for (Path store : List.of(ca, server, folder.resolve("server.csr"))) {
            Files.delete(store); // the authority's key goes: nothing more is ever signed with it
        }
    }

    private static Key privateKey(Path store) throws IOException {
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(in, STORE_PASSWORD.toCharArray());
            return keys.getKey("server", STORE_PASSWORD.toCharArray());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the key keytool made", e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void keytool(String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(arguments));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", STORE_PASSWORD));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + arguments[0] + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while keytool ran", e);
        }
    }
}
