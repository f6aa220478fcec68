package io.sohbet.devstack;

/** Started by {@link NoOrphansTest} as a separate JVM: brings up the shared infrastructure, prints its pids, waits. */
public final class InfrastructureProbe {

    private InfrastructureProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        SharedInfrastructure infrastructure = SharedInfrastructure.get();
        System.out.println("PIDS " + infrastructure.postgres().pid() + " " + infrastructure.postgres().serverPid() + " "
                + infrastructure.kafka().pid());
        System.out.flush();
        Thread.currentThread().join();
    }
}
