package io.sohbet.webhook.rest;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.sohbet.devstack.LocalCertificateAuthority;
import io.sohbet.devstack.SohbetTestResource;
import io.sohbet.kit.keys.SubjectKeyApi;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.junit.jupiter.api.Test;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The tls profile, as the chart runs the services (QUARKUS_PROFILE=prod,tls, the certificate Secret mounted): the API
 * is served only over HTTPS with the mounted certificate, and calls to consent-service go over HTTPS to a server whose
 * certificate the configured CA signed; a server another authority signed is refused, and so is plain HTTP.
 */
@QuarkusTest
@TestProfile(InternalTlsTest.Tls.class)
class InternalTlsTest {

    /** The authority of the services' certificates (cert-manager's issuer in a cluster) and one nobody trusts. */
    static final String SERVICES = "services";
    static final String STRANGER = "stranger";

    public static class Tls implements QuarkusTestProfile {

        @Override
        public String getConfigProfile() {
            return "test,tls";
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            LocalCertificateAuthority.Issued services = LocalCertificateAuthority.cached(SERVICES);
            return Map.of("TLS_CERT_FILE", services.certificate().toString(),
                    "TLS_KEY_FILE", services.privateKey().toString(),
                    "TLS_CA_FILE", services.caCertificate().toString(),
                    "quarkus.http.test-ssl-port", "0",
                    "quarkus.http.test-port", String.valueOf(port("plain", InternalTlsTest::held)),
                    "quarkus.rest-client.consent.url", "https://localhost:" + port(SERVICES, () -> vault(SERVICES)));
        }

        // the profile is instantiated by two class loaders: what it starts is found again through system properties
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SohbetTestResource.class, Map.of(SohbetTestResource.DATABASE, "webhook")),
                    new TestResourceEntry(OidcWiremockTestResource.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true; // the key vault stand-in speaks plain HTTP; this test brings its own over HTTPS
        }
    }

    @Inject
    @RestClient
    SubjectKeyApi keys;

    @Inject
    TlsConfigurationRegistry tls;

    @ConfigProperty(name = "quarkus.http.test-ssl-port")
    int httpsPort;

    @ConfigProperty(name = "quarkus.http.test-port")
    int plainPort;

    @Test
    void callsToConsentGoOverHttpsToTheServerTheConfiguredCaSigned() {
        SubjectKeyApi.KeyBatch batch = keys.find("Bearer t", new SubjectKeyApi.KeyRequest(Set.of("s1")))
                .await().atMost(Duration.ofSeconds(20));
        assertThat(batch.keys()).isEmpty();
    }

    @Test
    void aServerAnotherAuthoritySignedIsRefused() {
        SubjectKeyApi stranger = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create("https://localhost:" + port(STRANGER, () -> vault(STRANGER))))
                .tlsConfiguration(tls.get("internal").orElseThrow()).build(SubjectKeyApi.class);
        assertThatThrownBy(() -> stranger.find("Bearer t", new SubjectKeyApi.KeyRequest(Set.of("s1")))
                .await().atMost(Duration.ofSeconds(20))).hasCauseInstanceOf(SSLHandshakeException.class)
                .hasRootCauseInstanceOf(CertPathValidatorException.class); // no chain to a trusted authority
    }

    @Test
    void theApiIsServedOnlyOverHttpsWithTheMountedCertificate() throws Exception {
        String challenge = "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=dev-verify-token&hub.challenge=4711";
        HttpResponse<String> answer = client(SERVICES).send(HttpRequest.newBuilder(URI.create("https://localhost:" + httpsPort
                + challenge)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("4711");

        // a client that trusts another authority does not accept the service's certificate
        assertThatThrownBy(() -> client(STRANGER).send(HttpRequest.newBuilder(URI.create("https://localhost:" + httpsPort
                + challenge)).build(), HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
        // plain HTTP: the service never listens on the HTTP port (this test holds it open since before the service
        // started, and the service could not have started had it tried to bind it), and the HTTPS port answers no
        // plain request
        assertThatThrownBy(() -> new ServerSocket(plainPort).close()).isInstanceOf(BindException.class);
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpsPort
                + challenge)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    static HttpClient client(String authority) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", certificate(LocalCertificateAuthority.cached(authority).caCertificate()));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** The port of what {@code start} started once in this JVM under {@code name}. */
    static synchronized int port(String name, java.util.function.IntSupplier start) {
        String property = "sohbet.test.tls-port." + name;
        String port = System.getProperty(property);
        if (port == null) {
            port = String.valueOf(start.getAsInt());
            System.setProperty(property, port);
        }
        return Integer.parseInt(port);
    }

    /**
     * The plain HTTP port, bound and held open by this test for the JVM's life: the service, told to use it, would fail
     * to start if it listened on it. (A port only picked free and left unbound could be taken by anything started later
     * in the same build, and a refused connection to it would prove nothing.)
     */
    static int held() {
        try {
            ServerSocket socket = new ServerSocket(0, 1);
            HELD.add(socket);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("cannot hold a port", e);
        }
    }

    /** Kept reachable so that the sockets are not closed by their cleaner. */
    static final List<ServerSocket> HELD = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** A key vault over HTTPS with the server certificate of {@code authority}: it knows no subject. */
    static int vault(String authority) {
        try {
            LocalCertificateAuthority.Issued issued = LocalCertificateAuthority.cached(authority);
            KeyStore own = KeyStore.getInstance("PKCS12");
            own.load(null, null);
            String pem = Files.readString(issued.privateKey()).replaceAll("-----[A-Z ]+-----|\\s", "");
            own.setKeyEntry("server", KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder()
                    .decode(pem))), new char[0], new Certificate[] {certificate(issued.certificate())});
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(own, new char[0]);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), null, null);
            HttpsServer server = HttpsServer.create(new InetSocketAddress("localhost", 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(context));
            server.createContext("/internal/subject-keys", exchange -> {
                exchange.getRequestBody().readAllBytes();
                byte[] body = "{\"keys\":{},\"erased\":{}}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server.getAddress().getPort();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the HTTPS key vault", e);
        }
    }

    static Certificate certificate(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
