package io.sohbet.webhook.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.sohbet.kit.Problem;
import io.sohbet.webhook.service.SignatureVerifier;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The body limit (4 MB in tests, as in production) holds for bodies without a length: a chunked upload is answered 413
 * with a problem as soon as it passes the limit, and the server reads no further; a large signed batch under the limit
 * still passes, chunked.
 */
@QuarkusTest
class BodyLimitTest {

    private static final long LIMIT = 4L * 1024 * 1024;
    private static final long ATTEMPTED = 64L * 1024 * 1024;

    static int port() {
        return ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
    }

    @Test
    void aChunkedBodyOverTheLimitIs413ProblemAndIsNotReadToItsEnd() throws Exception {
        AtomicLong written = new AtomicLong();
        try (Socket socket = new Socket()) {
            socket.setSendBufferSize(64 * 1024);
            socket.connect(new java.net.InetSocketAddress("localhost", port()), 5000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /webhooks/whatsapp HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\nX-Hub-Signature-256: sha256=" + "0".repeat(64) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            // an unauthenticated upload of 64 MB, chunk by chunk; it stops when the server closes the connection
            CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> {
                byte[] chunk = new byte[64 * 1024];
                Arrays.fill(chunk, (byte) ' ');
                byte[] head = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                try {
                    while (written.get() < ATTEMPTED) {
                        out.write(head);
                        out.write(chunk);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        written.addAndGet(chunk.length);
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException closedByTheServer) {
                    // expected: the server answered and closed
                }
            });
            String answer = readAnswer(socket.getInputStream());
            upload.get(30, TimeUnit.SECONDS);
            assertThat(answer).startsWith("HTTP/1.1 413");
            assertThat(answer.toLowerCase()).contains("content-type: " + Problem.MEDIA_TYPE);
            assertThat(answer).contains("\"status\":413").contains("Payload too large");
            // the server kept 4 MB, discarded up to 4 MB more and closed: what was sent beyond is what the sockets held
            System.out.printf("chunked upload cut off after %d of %d bytes%n", written.get(), ATTEMPTED);
            assertThat(written.get()).as("bytes the server let in (Quarkus buffered 16 MB before)").isLessThan(16L * 1024 * 1024);
        }
    }

    @Test
    void aLargeSignedBatchUnderTheLimitPassesChunked() throws Exception {
        StringBuilder statuses = new StringBuilder();
        long now = Instant.now().getEpochSecond();
        String padding = "x".repeat(2900); // ignored field: a batch of 1000 updates near Meta's 3 MB
        for (int i = 0; i < 1000; i++) {
            statuses.append(i == 0 ? "" : ",").append("{\"id\":\"wamid.big.").append(now).append('.').append(i)
                    .append("\",\"status\":\"delivered\",\"timestamp\":\"").append(now).append("\",\"recipient_id\":\"90532")
                    .append(String.format("%07d", i)).append("\",\"padding\":\"").append(padding).append("\"}");
        }
        byte[] body = ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\",\"changes\":[{"
                + "\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":"
                + "\"908505551234\",\"phone_number_id\":\"106540352242922\"},\"statuses\":[" + statuses + "]}}]}]}")
                .getBytes(StandardCharsets.UTF_8);
        assertThat((long) body.length).isGreaterThan(2_900_000L).isLessThan(LIMIT);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port() + "/webhooks/whatsapp"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .header("X-Hub-Signature-256", SignatureVerifier.sign(WhatsAppWebhookResourceTest.APP_SECRET, body))
                // a stream of unknown length: sent chunked
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = new ObjectMapper().readTree(response.body());
        assertThat(answer.path("events").asInt()).isEqualTo(1000);
    }

    /** Also for the WhatsApp path, whose route runs ahead of the router's length check and makes it itself. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"/webhooks/commerce", "/webhooks/whatsapp"})
    void aDeclaredLengthOverTheLimitIs413ProblemBeforeTheBodyIsSent(String path) throws Exception {
        try (Socket socket = new Socket("localhost", port())) {
            socket.setSoTimeout(10_000);
            // only the headers: the answer comes without waiting for a body
            socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                    + "application/json\r\nContent-Length: " + (LIMIT + 1) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = readAnswer(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 413");
            assertThat(answer.toLowerCase()).contains("content-type: " + Problem.MEDIA_TYPE);
        }
    }

    @Test
    void theTwoLimitsMustAgree() {
        BodyLimit.requireAgreement(LIMIT, LIMIT);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BodyLimit.requireAgreement(16L * 1024 * 1024, LIMIT))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("sohbet.webhook.max-body-size");
        assertThat(ConfigProvider.getConfig().getValue("quarkus.http.limits.max-body-size",
                io.quarkus.runtime.configuration.MemorySize.class).asLongValue()).as("Quarkus's limit follows ours").isEqualTo(LIMIT);
    }

    /** A body in one piece is taken as its own array only when the piece is exactly that array; else copied. */
    @Test
    void aPieceIsTakenAsItIsOnlyWhenItIsItsWholeArray() {
        byte[] bytes = "{\"object\":\"x\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        io.vertx.core.buffer.Buffer exact = io.vertx.core.buffer.Buffer.buffer(io.netty.buffer.Unpooled.wrappedBuffer(bytes));
        org.assertj.core.api.Assertions.assertThat(BodyLimit.whole(exact)).isSameAs(bytes);
        byte[] larger = java.util.Arrays.copyOf(bytes, bytes.length + 10);
        io.vertx.core.buffer.Buffer part = io.vertx.core.buffer.Buffer.buffer(
                io.netty.buffer.Unpooled.wrappedBuffer(larger, 0, bytes.length));
        org.assertj.core.api.Assertions.assertThat(BodyLimit.whole(part)).isNotSameAs(larger).isEqualTo(bytes);
        io.vertx.core.buffer.Buffer offset = io.vertx.core.buffer.Buffer.buffer(
                io.netty.buffer.Unpooled.wrappedBuffer(larger, 10, bytes.length));
        org.assertj.core.api.Assertions.assertThat(BodyLimit.whole(offset)).isEqualTo(java.util.Arrays.copyOfRange(larger, 10, 10 + bytes.length));
    }

    /** The status line, headers and body of one answer (its Content-Length), read as it arrives. */
    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            seen.write(b);
            String text = seen.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (end >= 0) {
                String headers = text.substring(0, end).toLowerCase();
                int at = headers.indexOf("content-length:");
                long length = at < 0 ? 0 : Long.parseLong(headers.substring(at + 15, headers.indexOf('\n', at) < 0
                        ? headers.length() : headers.indexOf('\n', at)).strip());
                byte[] rest = in.readNBytes((int) length);
                return text + new String(rest, StandardCharsets.UTF_8);
            }
        }
        return seen.toString(StandardCharsets.ISO_8859_1);
    }
}
