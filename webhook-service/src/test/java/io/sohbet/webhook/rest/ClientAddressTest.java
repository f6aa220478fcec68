package io.sohbet.webhook.rest;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientAddressTest {

    private final ClientAddress behindIngress = new ClientAddress(List.of("10.0.0.0/8", "fd00::/8"));

    @Test
    void withoutTrustedProxiesTheHeaderIsIgnored() {
        ClientAddress direct = new ClientAddress(List.of());
        assertThat(direct.of("203.0.113.5", List.of("198.51.100.1"))).isEqualTo("203.0.113.5");
    }

    @Test
    void anUntrustedPeerCannotChooseItsSource() {
        assertThat(behindIngress.of("203.0.113.5", List.of("198.51.100.1"))).isEqualTo("203.0.113.5");
    }

    @Test
    void behindATrustedProxyTheRightMostUntrustedAddressIsTheSource() {
        assertThat(behindIngress.of("10.1.2.3", List.of("198.51.100.1"))).isEqualTo("198.51.100.1");
        // the client wrote a first address itself; the proxy appended what it saw
        assertThat(behindIngress.of("10.1.2.3", List.of("1.2.3.4, 198.51.100.1"))).isEqualTo("198.51.100.1");
        assertThat(behindIngress.of("10.1.2.3", List.of("1.2.3.4", "198.51.100.1, 10.9.9.9"))).isEqualTo("198.51.100.1");
        assertThat(behindIngress.of("fd00::1", List.of("2001:db8::7"))).isEqualTo("2001:db8::7");
        assertThat(behindIngress.of("10.1.2.3", List.of())).as("no header: the proxy itself").isEqualTo("10.1.2.3");
    }

    @Test
    void aHostNameIsNeverLookedUpNorTrusted() {
        assertThat(behindIngress.of("10.1.2.3", List.of("evil.example"))).isEqualTo("evil.example");
        assertThatThrownBy(() -> new ClientAddress(List.of("ingress.example"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClientAddress(List.of("10.0.0.0/33"))).isInstanceOf(IllegalArgumentException.class);
    }
}
