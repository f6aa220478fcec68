package io.sohbet.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Free TCP ports on the loopback interface. */
public final class Ports {

    /** Ports this JVM handed out: the OS may offer a port again before the first taker has bound it. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private Ports() {
    }

    /**
     * A port that is free now, that this JVM has not handed out before (a broker needs two at once), and that lies
     * below Linux's ephemeral range (32768+): a port the OS picks for "any free port" can be taken by an outgoing
     * connection (another test's, a build's download) before the server binds it, which once failed a PostgreSQL
     * start with "Address already in use".
     */
    public static int free() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 1000; attempt++) {
            int candidate = 20_000 + random.nextInt(12_000);
            if (HANDED_OUT.contains(candidate)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(false);
                socket.bind(new java.net.InetSocketAddress("localhost", candidate));
            } catch (IOException taken) {
                continue;
            }
            if (HANDED_OUT.add(candidate)) {
                return candidate;
            }
        }
        return anyFree();
    }

    /** A port the OS picks, when none below the ephemeral range is free. */
    private static int anyFree() {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket socket = new ServerSocket(0)) {
                int port = socket.getLocalPort();
                if (HANDED_OUT.add(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("no free port", e);
            }
        }
        throw new IllegalStateException("no free port that was not handed out already");
    }
}
