package io.sohbet.devstack;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command that cannot watch its own standard input (a Quarkus service, Keycloak) and ends it, with all its
 * descendants, when our standard input closes, that is when the parent that started us dies.
 *
 * <pre>java -cp ... io.sohbet.devstack.Guarded COMMAND [ARGS...]</pre>
 */
public final class Guarded {

    private Guarded() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: Guarded COMMAND [ARGS...]");
            System.exit(64);
        }
        Process child = new ProcessBuilder(Arrays.asList(args)).inheritIO().redirectInput(ProcessBuilder.Redirect.PIPE).start();
        Runnable stop = () -> {
            child.descendants().forEach(ProcessHandle::destroy);
            child.destroy();
            try {
                if (!child.waitFor(20, TimeUnit.SECONDS)) {
                    child.descendants().forEach(ProcessHandle::destroyForcibly);
                    child.destroyForcibly();
                }
            } catch (InterruptedException e) {
                child.destroyForcibly();
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "guarded-stop"));
        Lifeline.exitWhenParentGoes();
        System.exit(child.waitFor());
    }
}
