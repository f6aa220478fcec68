package io.sohbet.webhook.rest;

import io.sohbet.webhook.config.WebhookConfig;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The address a request comes from: the peer's, or, when the peer is one of {@code sohbet.webhook.links.trusted-proxies},
 * the right-most address of {@code X-Forwarded-For} that is not a trusted proxy (what the outermost trusted proxy saw;
 * anything left of it was written by the client and is not believed). Used only to key rate limits, never stored.
 */
@ApplicationScoped
public class ClientAddress {

    private final List<Block> trusted;

    @Inject
    public ClientAddress(WebhookConfig config) {
        this(config.links().trustedProxies().orElse(List.of()));
    }

    ClientAddress(List<String> trustedProxies) {
        this.trusted = trustedProxies.stream().map(String::strip).filter(s -> !s.isEmpty()).map(Block::parse).toList();
    }

    public String of(HttpServerRequest request) {
        SocketAddress peer = request.remoteAddress();
        String peerAddress = peer == null ? "unknown" : peer.hostAddress();
        return of(peerAddress, request.headers().getAll("X-Forwarded-For"));
    }

    String of(String peer, List<String> forwardedFor) {
        if (!isTrusted(peer)) {
            return peer;
        }
        String source = peer;
        for (int h = forwardedFor.size() - 1; h >= 0; h--) {
            String[] hops = forwardedFor.get(h).split(",");
            for (int i = hops.length - 1; i >= 0; i--) {
                String hop = hops[i].strip();
                if (hop.isEmpty()) {
                    continue;
                }
                if (!isTrusted(hop)) {
                    return hop;
                }
                source = hop;
            }
        }
        return source;
    }

    private boolean isTrusted(String address) {
        if (trusted.isEmpty()) {
            return false;
        }
        byte[] bytes = literal(address);
        return bytes != null && trusted.stream().anyMatch(b -> b.contains(bytes));
    }

    /** The bytes of an IP literal, or null for anything else (never a DNS lookup). */
    static byte[] literal(String address) {
        if (address == null || address.isEmpty() || !address.matches("[0-9a-fA-F:.]+")) {
            return null;
        }
        try {
            return InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** An address block ({@code 10.0.0.0/8}, {@code ::1}, {@code 127.0.0.1}). */
    record Block(BigInteger network, int bits, int length) {

        static Block parse(String cidr) {
            String[] parts = cidr.split("/", 2);
            byte[] address = literal(parts[0]);
            if (address == null) {
                throw new IllegalArgumentException("sohbet.webhook.links.trusted-proxies: not an IP address or CIDR block: " + cidr);
            }
            int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : address.length * 8;
            if (bits < 0 || bits > address.length * 8) {
                throw new IllegalArgumentException("sohbet.webhook.links.trusted-proxies: bad prefix length in " + cidr);
            }
            return new Block(prefix(address, bits), bits, address.length);
        }

        boolean contains(byte[] address) {
            return address.length == length && prefix(address, bits).equals(network);
        }

        private static BigInteger prefix(byte[] address, int bits) {
            return new BigInteger(1, address).shiftRight(address.length * 8 - bits);
        }
    }
}
