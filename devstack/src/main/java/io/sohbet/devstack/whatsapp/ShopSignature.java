package io.sohbet.devstack.whatsapp;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * How a shop signs its webhooks to webhook-service ({@code POST /webhooks/commerce}): {@code X-Sohbet-Timestamp} is when
 * it signed, in Unix seconds, and {@code X-Sohbet-Signature} is {@code sha256=<hex HMAC-SHA256(secret, "<timestamp>." +
 * body)>}. Each attempt is signed afresh: a timestamp more than 5 minutes away from the service's clock is refused.
 */
public final class ShopSignature {

    public static final String SIGNATURE = "X-Sohbet-Signature";
    public static final String TIMESTAMP = "X-Sohbet-Timestamp";

    private ShopSignature() {
    }

    /** The signature header's value for {@code body} signed at {@code timestamp} (Unix seconds). */
    public static String sign(String secret, long timestamp, byte[] body) {
        byte[] prefix = (timestamp + ".").getBytes(StandardCharsets.US_ASCII);
        byte[] signed = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, signed, 0, prefix.length);
        System.arraycopy(body, 0, signed, prefix.length, body.length);
        return CloudApiSimulator.sign(secret, signed);
    }

    /** {@code request} with both headers, signed now. */
    public static HttpRequest.Builder signed(HttpRequest.Builder request, String secret, byte[] body) {
        long now = Instant.now().getEpochSecond();
        return request.header(TIMESTAMP, Long.toString(now)).header(SIGNATURE, sign(secret, now, body));
    }
}
