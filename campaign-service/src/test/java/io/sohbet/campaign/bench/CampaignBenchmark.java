package io.sohbet.campaign.bench;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.sohbet.campaign.PeerStandIns;
import io.sohbet.campaign.config.CampaignConfig;
import io.sohbet.campaign.domain.CampaignDefinition;
import io.sohbet.campaign.service.Campaigns;
import io.sohbet.campaign.service.Planner;
import io.sohbet.devstack.ChildProcess;
import io.sohbet.devstack.Ports;
import io.sohbet.devstack.whatsapp.CloudApiSimulator;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * campaign-service benchmark (runs only with -Pbenchmarks): plans a campaign for -Dbenchmark.recipients (a million)
 * with send-time optimisation, hold-out and an A/B test phase, then sends -Dbenchmark.sends messages to the Cloud API
 * simulator at the configured rate (1,000/s, the simulator enforcing the same limit) and reports the rate achieved
 * and any throughput errors. PostgreSQL, Kafka, the service, the stand-ins and the simulator share the machine.
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "sohbet.benchmark", matches = "true")
class CampaignBenchmark {

    static final int RECIPIENTS = Integer.getInteger("benchmark.recipients", 1_000_000);
    static final int SENDS = Integer.getInteger("benchmark.sends", 30_000);

    @Inject
    Pool pool;

    @Inject
    Campaigns campaigns;

    @Inject
    Planner planner;

    @Inject
    CampaignConfig config;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    @Test
    void planningAndSending() throws Throwable {
        // the measured campaign's recipients are told apart at the simulator by their numbers
        int cores = Runtime.getRuntime().availableProcessors();
        Runtime rt = Runtime.getRuntime();

        // ---- planning a million recipients: segments paged, best hours in batches, rows written ----
        List<String> audience = new ArrayList<>(RECIPIENTS);
        Random random = new Random(7);
        for (int i = 0; i < RECIPIENTS; i++) {
            String subject = "bench" + String.format("%08d", i) + "subjectid";
            audience.add(subject);
            if (i % 2 == 0) {
                PeerStandIns.BEST_HOURS.put(subject, List.of(9 + random.nextInt(12), 9 + random.nextInt(12)));
            }
        }
        PeerStandIns.SEGMENTS.put("bench-all", audience);
        PeerStandIns.SEGMENTS.put("bench-excluded", audience.subList(0, RECIPIENTS / 100));
        long[] hourly = new long[24];
        hourly[19] = 1000;
        hourly[12] = 500;
        PeerStandIns.READ_TIMES.put("bench-all", hourly);
        CampaignDefinition plan = new CampaignDefinition("benchmark plan",
                new CampaignDefinition.Audience(List.of("bench-all"), List.of("bench-excluded"), 5),
                List.of(text("a"), text("b")), new CampaignDefinition.AbTest(20, Duration.ofHours(2), null, null),
                new CampaignDefinition.Schedule("best-time", null, Duration.ofHours(24), null), null, null, false, null);
        Campaigns.Campaign draft = VertxContextSupport.subscribeAndAwait(() -> campaigns.create(plan, "benchmark"));
        // paused: planned but not sent (the sending part below measures sending)
        // starting tomorrow: housekeeping plans paused and running campaigns once due, and would race the planner measured here
        sql("UPDATE campaign SET status = 'paused', start_at = now() + interval '1 day' WHERE id = $1", draft.id());
        Campaigns.Campaign toPlan = VertxContextSupport.subscribeAndAwait(() -> campaigns.find(draft.id()));
        long planStart = System.nanoTime();
        Planner.Plan planned = planner.plan(toPlan);
        double planSeconds = (System.nanoTime() - planStart) / 1e9;
        long heapAfterPlan = (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024);
        sql("UPDATE campaign SET status = 'cancelled' WHERE id = $1", draft.id());
        sql("DELETE FROM send_queue WHERE campaign_id = $1", draft.id());
        // the million planned rows are gone: vacuum now, so that autovacuum does not run during the sending measurement
        VertxContextSupport.subscribeAndAwait(() -> pool.query("VACUUM ANALYZE send_queue").execute());

        // ---- sending at the configured rate against the simulator, which enforces the same limit: one replica, then two ----
        int rate = config.whatsapp().messagesPerSecond();
        Sending one = sending("one", null);
        Sending two;
        long[] secondMemory;
        try (ChildProcess second = secondReplica()) {
            two = sending("two", second);
            secondMemory = new long[] {status(second.pid(), "VmRSS") / 1024, status(second.pid(), "VmHWM") / 1024};
        }
        long heapAfterSend = (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024);

        System.out.println();
        System.out.printf("campaign-service benchmark: %d cores (PostgreSQL, Kafka, the service, stand-ins and simulator together; "
                + "with two replicas the second is a child JVM)%n", cores);
        System.out.println("| measure | figure | goal | mark |");
        System.out.println("| --- | --- | --- | --- |");
        System.out.printf("| planning %,d recipients (best time, 5 %% hold-out, 20 %% test phase, 1 %% excluded) | %.1f s (%,d queued, %,d held out, "
                + "%,d excluded) | <= 60 s | %s |%n", RECIPIENTS, planSeconds, planned.audience(), planned.heldOut(), planned.excluded(),
                mark(planSeconds <= 60));
        for (Sending m : List.of(one, two)) {
            String who = m.label().equals("one") ? "one replica" : "two replicas sharing the number";
            System.out.printf("| %s: %,d messages at a set rate of %,d/s, achieved rate first to last send | %.1f/s (%.2f %% of the set rate), "
                    + "%,d messages in %.1f s | >= 99 %% | %s |%n", who, SENDS, rate, m.achieved(), 100 * m.achieved() / rate, m.sent(), m.window(),
                    mark(m.achieved() >= 0.99 * rate));
            System.out.printf("| %s: messages per whole calendar second at the simulator (min / max) | %d / %d | max <= %d | %s |%n",
                    who, m.min(), m.max(), rate, mark(m.max() <= rate));
            System.out.printf("| %s: throughput errors (130429) | %d | 0 | %s |%n", who, m.throttled(), mark(m.throttled() == 0));
            System.out.printf("| %s: campaign sent / completed after%s | %,d / %.1f s (%s) | all | %s |%n", who,
                    m.label().equals("one") ? "" : " (of them by the second replica)", m.progressSent(), m.seconds(),
                    m.status() + (m.label().equals("one") ? "" : String.format(", %,d", m.byChild())), mark(m.status().equals("completed")
                            && m.progressSent() == SENDS));
        }
        for (Sending m : List.of(one, two)) {
            System.out.printf("| %s, the benchmark's replica: claims (incl. empty ones) / recipients late for their second, back to the queue | "
                    + "%,d / %,d | report | |%n", m.label().equals("one") ? "one replica" : "two replicas", m.claimsHere(), m.lateHere());
        }
        for (Sending m : List.of(one, two)) {
            System.out.printf("| %s: the warm-up campaign's 130429 answers / the shared rate's slowdown when the measured campaign starts | "
                    + "%,d / %.3f | report | |%n", m.label().equals("one") ? "one replica" : "two replicas", m.warmUpThrottled(), m.slowdownAtStart());
        }
        System.out.printf("| two replicas, the second replica: recipients late for their second, back to the queue | %,d | report | |%n",
                two.lateThere());
        var noConnection = registry.find("sohbet.campaign.sends.no.connection").counter();
        System.out.printf("| the benchmark's replica, whole run: recipients late because every connection to the simulator was busy "
                + "(whatsapp.max-connections %d) | %,d | report | |%n", config.whatsapp().maxConnections(),
                noConnection == null ? 0 : Math.round(noConnection.count()));
        System.out.printf("| heap used after planning / after sending | %,d / %,d MB | | |%n", heapAfterPlan, heapAfterSend);
        System.out.printf("| second replica (packaged, as the local run starts it: -Xmx256m and k8s/files/jvm.options) resident memory after sending, "
                + "VmRSS / peak VmHWM | %d / %d MB | <= 300 MB | %s |%n", secondMemory[0], secondMemory[1], mark(secondMemory[1] <= 300));
        for (Sending m : List.of(one, two)) {
            System.out.println("messages per second (" + m.label() + "): " + m.perSecond() + "; campaign progress: " + m.progress());
        }
        for (String timer : List.of("sohbet.campaign.claim", "sohbet.campaign.consent.resolve")) {
            var t = registry.find(timer).timer();
            System.out.printf("%s: %d batches, mean %.1f ms, max %.1f ms%n", timer, t.count(), t.mean(java.util.concurrent.TimeUnit.MILLISECONDS),
                    t.max(java.util.concurrent.TimeUnit.MILLISECONDS));
        }
        System.out.println();
        assertThat(one.status()).isEqualTo("completed");
        assertThat(two.status()).isEqualTo("completed");
    }

    /** What one sending measurement gave. */
    record Sending(String label, int sent, double achieved, double window, int min, int max, int throttled, long progressSent,
            double seconds, String status, long byChild, java.util.Collection<Integer> perSecond, Map<String, Long> progress, long lateHere,
            long claimsHere, long lateThere, int warmUpThrottled, double slowdownAtStart) {
    }

    static String mark(boolean met) {
        return met ? "pass" : "short";
    }

    /**
     * A warm-up campaign of a third of the size (JIT, connection pools; not measured), then a campaign of {@link #SENDS}
     * template messages, measured at the simulator: the rate from its first to its last send, the messages in each whole
     * calendar second (the first and the last, partial, left out) and the 130429 answers.
     */
    Sending sending(String label, ChildProcess second) throws Throwable {
        List<String> recipients = new ArrayList<>();
        String segment = PeerStandIns.audience("bench-send-" + label, SENDS, recipients);
        CampaignDefinition send = new CampaignDefinition("benchmark send " + label, new CampaignDefinition.Audience(List.of(segment), null, null),
                List.of(new CampaignDefinition.Variant("a", 1, new CampaignDefinition.Message("template",
                        new CampaignDefinition.Template("kis_indirimi", "tr", null, List.of("{{firstName|Merhaba}}"), null), null, null, null,
                        new CampaignDefinition.TrackedLink("shop", "https://shop.example/kis", 0)))),
                null, null, new CampaignDefinition.QuietHours(false, null, null), new CampaignDefinition.FrequencyCap(1000, Duration.ofHours(1)), false, null);
        List<String> warmUp = new ArrayList<>();
        String warmSegment = PeerStandIns.audience("bench-warm-up-" + label, SENDS / 3, warmUp);
        CampaignDefinition warm = new CampaignDefinition("warm-up " + label, new CampaignDefinition.Audience(List.of(warmSegment), null, null),
                send.variants(), null, null, send.quietHours(), send.frequencyCap(), false, null);
        int throttledBeforeWarmUp = PeerStandIns.simulator.throttled();
        Campaigns.Campaign warming = VertxContextSupport.subscribeAndAwait(() -> campaigns.create(warm, "benchmark"));
        VertxContextSupport.subscribeAndAwait(() -> campaigns.schedule(warming.id(), null));
        while (!VertxContextSupport.subscribeAndAwait(() -> campaigns.find(warming.id())).status().equals("completed")) {
            Thread.sleep(500);
        }
        Set<String> measured = recipients.stream().map(r -> PeerStandIns.CONTACTS.get(r).phone().substring(1)).collect(Collectors.toSet());

        int throttledBefore = PeerStandIns.simulator.throttled();
        double slowdownAtStart = VertxContextSupport.subscribeAndAwait(() -> pool.query("SELECT min(slowdown) AS s FROM send_rate").execute())
                .iterator().next().getDouble("s");
        double sentHereBefore = sentHere();
        double lateBefore = sendsHere("late");
        double lateThereBefore = second == null ? 0 : lateAtSecondReplica();
        long claimsBefore = registry.find("sohbet.campaign.claim").timer().count();
        Campaigns.Campaign sending = VertxContextSupport.subscribeAndAwait(() -> campaigns.create(send, "benchmark"));
        long sendStart = System.nanoTime();
        VertxContextSupport.subscribeAndAwait(() -> campaigns.schedule(sending.id(), null));
        long deadline = System.currentTimeMillis() + SENDS * 10L + 120_000;
        String status;
        do {
            Thread.sleep(500);
            status = VertxContextSupport.subscribeAndAwait(() -> campaigns.find(sending.id())).status();
        } while (!status.equals("completed") && System.currentTimeMillis() < deadline);
        double sendSeconds = (System.nanoTime() - sendStart) / 1e9;
        // why a recipient was not sent (unconfirmed, failed, deferred): the error titles, counted
        VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT status, error_title, count(*) AS n FROM send_queue "
                + "WHERE campaign_id = $1 AND status NOT IN ('sent', 'delivered', 'read') GROUP BY 1, 2")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(sending.id()))).forEach(r -> System.out.printf(
                "benchmark send %s: %d recipients %s: %s%n", label, r.getLong("n"), r.getString("status"), r.getString("error_title")));
        // the other replica records its accepted sends every 50 ms: wait for those before reading the progress
        Thread.sleep(500);
        Map<String, Long> progress = VertxContextSupport.subscribeAndAwait(() -> campaigns.progress(sending.id()));
        List<CloudApiSimulator.Sent> sent = PeerStandIns.simulator.sent().stream()
                .filter(m -> measured.contains(m.to())).toList();
        Instant first = sent.stream().map(CloudApiSimulator.Sent::at).min(Instant::compareTo).orElseThrow();
        Instant last = sent.stream().map(CloudApiSimulator.Sent::at).max(Instant::compareTo).orElseThrow();
        double window = Duration.between(first, last).toNanos() / 1e9;
        double achieved = (sent.size() - 1) / window;
        TreeMap<Long, Integer> perSecond = new TreeMap<>();
        sent.forEach(m -> perSecond.merge(m.at().getEpochSecond(), 1, Integer::sum));
        List<Integer> fullSeconds = new ArrayList<>(perSecond.values());
        if (fullSeconds.size() > 2) {
            fullSeconds = fullSeconds.subList(1, fullSeconds.size() - 1);
        }
        long byChild = second == null ? 0 : sent.size() - Math.round(sentHere() - sentHereBefore);
        return new Sending(label, sent.size(), achieved, window, fullSeconds.stream().mapToInt(Integer::intValue).min().orElse(0),
                fullSeconds.stream().mapToInt(Integer::intValue).max().orElse(0), PeerStandIns.simulator.throttled() - throttledBefore,
                progress.getOrDefault("sent", 0L), sendSeconds, status, byChild, perSecond.values(), progress,
                Math.round(sendsHere("late") - lateBefore), registry.find("sohbet.campaign.claim").timer().count() - claimsBefore,
                second == null ? 0 : Math.round(lateAtSecondReplica() - lateThereBefore), throttledBefore - throttledBeforeWarmUp, slowdownAtStart);
    }

    /** A field of /proc/<pid>/status, in kB. */
    static long status(long pid, String field) throws java.io.IOException {
        return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith(field + ":"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElseThrow();
    }

    /** The second replica's management port (its Prometheus metrics). */
    int secondManagementPort;

    /** Recipients of the second replica late for their second so far (its Prometheus counter, every series summed). */
    double lateAtSecondReplica() throws java.io.IOException, InterruptedException {
        return atSecondReplica("sohbet_campaign_sends_total{", "outcome=\"late\"");
    }

    /** The sum of the second replica's Prometheus series starting with {@code series} and containing {@code label}. */
    double atSecondReplica(String series, String label) throws java.io.IOException, InterruptedException {
        String text = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://localhost:" + secondManagementPort + "/q/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        return text.lines().filter(l -> l.startsWith(series) && l.contains(label))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }


    /** Messages this JVM's replica had accepted so far. */
    double sentHere() {
        return sendsHere("sent");
    }

    /** Recipients of this JVM's replica with that send outcome so far. */
    double sendsHere(String outcome) {
        var counter = registry.find("sohbet.campaign.sends").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    /**
     * A second replica of the service (the packaged application in a child JVM, as in production) on the same database,
     * Kafka, stand-ins and simulator, sending for the same phone number.
     */
    ChildProcess secondReplica() {
        Config c = ConfigProvider.getConfig();
        Map<String, String> props = new HashMap<>();
        for (String name : c.getPropertyNames()) {
            boolean shared = name.startsWith("quarkus.datasource.") || name.equals("quarkus.flyway.username")
                    || name.equals("quarkus.flyway.password") || name.equals("kafka.bootstrap.servers") || name.startsWith("quarkus.rest-client.")
                    || name.startsWith("sohbet.campaign.whatsapp.") || name.startsWith("sohbet.campaign.links.")
                    || name.equals("sohbet.campaign.message-id-key") || name.equals("quarkus.oidc-client.enabled");
            if (shared && !name.contains("devservices")) {
                c.getOptionalValue(name, String.class).ifPresent(v -> props.put(name, v));
            }
        }
        String keycloak = c.getValue("keycloak.url", String.class);
        props.put("quarkus.oidc.auth-server-url", keycloak + "/realms/quarkus/");
        // the packaged service has its OIDC client built in: the stand-ins hand out a day-long token (and take any)
        props.put("quarkus.oidc-client.auth-server-url", props.get("quarkus.rest-client.consent.url") + "/oidc");
        props.put("quarkus.oidc-client.discovery-enabled", "false");
        props.put("quarkus.oidc-client.token-path", "token");
        props.put("quarkus.oidc-client.credentials.secret", "unused-the-peers-are-stand-ins");
        props.put("quarkus.http.port", String.valueOf(Ports.free()));
        secondManagementPort = Ports.free();
        props.put("quarkus.management.port", String.valueOf(secondManagementPort));
        return ChildProcess.packaged("campaign-service", "benchmark-replica-2", props, Duration.ofSeconds(120));
    }

    static CampaignDefinition.Variant text(String id) {
        return new CampaignDefinition.Variant(id, 1, new CampaignDefinition.Message("text", null, "Merhaba {{firstName}}", null, null, null));
    }

    void sql(String sql, String id) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery(sql).execute(Tuple.of(id)));
    }
}
