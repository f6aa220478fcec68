package io.sohbet.benchmarks;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** An HTTP load generator on Vert.x: closed loop for the highest sustained rate, open loop for latency at a set rate. */
final class Load implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final HttpClient client;
    private final String path;
    private final String signatureHeader;
    private final List<Delivery> deliveries;
    private final AtomicLong sent = new AtomicLong();

    /** A signed body; the load cycles through a list of them. */
    record Delivery(Buffer body, String signature) {
    }

    Load(int port, String path, String signatureHeader, List<Delivery> deliveries, int connections) {
        this.client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("localhost").setDefaultPort(port)
                .setKeepAlive(true).setMaxPoolSize(connections).setPipelining(false));
        this.path = path;
        this.signatureHeader = signatureHeader;
        this.deliveries = List.copyOf(deliveries);
    }

    /** Sends the next delivery of the ring. */
    private io.vertx.core.Future<io.vertx.core.http.HttpClientResponse> send() {
        Delivery next = deliveries.get((int) (sent.getAndIncrement() % deliveries.size()));
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setURI(path)
                .putHeader("Content-Type", "application/json").putHeader(signatureHeader, next.signature());
        return client.request(request).compose(r -> r.send(next.body()));
    }

    record Result(double perSecond, long ok, long failed, double p50Millis, double p99Millis, double maxMillis) {
    }

    /** {@code concurrency} requests always in flight for {@code seconds}. */
    Result closedLoop(int concurrency, int seconds) throws InterruptedException {
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        CountDownLatch done = new CountDownLatch(concurrency);
        long started = System.nanoTime();
        for (int i = 0; i < concurrency; i++) {
            loop(end, ok, failed, done);
        }
        done.await();
        double elapsed = (System.nanoTime() - started) / 1e9;
        return new Result(ok.get() / elapsed, ok.get(), failed.get(), 0, 0, 0);
    }

    private void loop(long end, AtomicLong ok, AtomicLong failed, CountDownLatch done) {
        if (System.nanoTime() >= end) {
            done.countDown();
            return;
        }
        send().onComplete(ar -> {
            if (ar.succeeded() && ar.result().statusCode() == 200) {
                ok.incrementAndGet();
            } else {
                failed.incrementAndGet();
            }
            loop(end, ok, failed, done);
        });
    }

    /** Requests started at a fixed rate, whatever the answers do (no coordinated omission); latency per request. */
    Result openLoop(double perSecond, int seconds) throws InterruptedException {
        int total = (int) (perSecond * seconds);
        long[] latencies = new long[total];
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        CountDownLatch done = new CountDownLatch(total);
        long intervalNanos = (long) (1e9 / perSecond);
        long start = System.nanoTime();
        int[] next = {0};
        long timer = vertx.setPeriodic(1, id -> {
            long due = (System.nanoTime() - start) / intervalNanos + 1;
            while (next[0] < total && next[0] < due) {
                int index = next[0]++;
                long scheduled = start + index * intervalNanos;
                send().onComplete(ar -> {
                    latencies[index] = System.nanoTime() - scheduled;
                    if (ar.succeeded() && ar.result().statusCode() == 200) {
                        ok.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                    }
                    done.countDown();
                });
            }
        });
        done.await(seconds + 60L, TimeUnit.SECONDS);
        vertx.cancelTimer(timer);
        long[] sorted = Arrays.copyOf(latencies, total);
        Arrays.sort(sorted);
        double elapsed = (System.nanoTime() - start) / 1e9;
        return new Result(ok.get() / elapsed, ok.get(), failed.get(), sorted[total / 2] / 1e6,
                sorted[(int) (total * 0.99)] / 1e6, sorted[total - 1] / 1e6);
    }

    @Override
    public void close() {
        client.close();
        vertx.close();
    }
}
