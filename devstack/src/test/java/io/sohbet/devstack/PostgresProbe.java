package io.sohbet.devstack;

import java.nio.file.Path;

/**
 * Started by {@link PostgresFirstRunTest} as a separate, small JVM: starts PostgreSQL as every test and the local run
 * do ({@link Postgres#start}), prints {@code PORT <port>} and waits.
 *
 * <pre>java -Dsohbet.cache=CACHE -cp ... io.sohbet.devstack.PostgresProbe DATA_DIR LOG</pre>
 */
public final class PostgresProbe {

    private PostgresProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        Postgres postgres = Postgres.start(0, Path.of(args[0]), Path.of(args[1]));
        Runtime.getRuntime().addShutdownHook(new Thread(postgres::close));
        System.out.println("PORT " + postgres.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
