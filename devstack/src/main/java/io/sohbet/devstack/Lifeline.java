package io.sohbet.devstack;

/** Makes a child JVM exit when its parent goes away: the parent holds our standard input open and never writes. */
public final class Lifeline {

    private Lifeline() {
    }

    public static void exitWhenParentGoes() {
        Thread watchdog = new Thread(() -> {
            try {
                while (System.in.read() != -1) {
                    // drain
                }
            } catch (Exception ignored) {
                // a broken pipe means the same as end of input
            }
            System.exit(0);
        }, "lifeline");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
