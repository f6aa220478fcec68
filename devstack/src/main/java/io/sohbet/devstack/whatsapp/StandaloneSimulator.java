package io.sohbet.devstack.whatsapp;

import io.sohbet.devstack.Suite;

import java.net.URI;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Cloud API simulator on its own, with a {@link Crowd} of customers: serves the send API on a port, posts signed
 * webhooks to a webhook URL and plays the customers who get messages (read hours, receipts, clicks, orders, replies,
 * CSAT answers, stops), all from a seed. Its defaults fit the local run ({@code ./run-local}), so that
 * {@code ./run-local --simulator} on another port, or in place of the suite's, plays customers for services started by
 * hand (say in {@code quarkus:dev}). Ctrl-C stops it.
 *
 * <pre>java -cp 'devstack/target/classes:devstack/target/lib/*' io.sohbet.devstack.whatsapp.StandaloneSimulator [options]</pre>
 */
public final class StandaloneSimulator {

    private StandaloneSimulator() {
    }

    static String usage() {
        return String.join("\n",
                "usage: ./run-local --simulator [options]   (or StandaloneSimulator [options])",
                "The WhatsApp Cloud API (send API, signed webhooks) and customers who read, click, order, reply and stop.",
                "  --port N                  where the Cloud API is served (default 8090; 0: any free port)",
                "  --webhook-url URL         where Meta's webhooks go (default http://localhost:8081/webhooks/whatsapp)",
                "  --access-token TOKEN --app-secret SECRET --phone-number-id ID --waba-id ID --display-number DIGITS",
                "                            (defaults: the local run's)",
                "  --max-per-second N        throughput limit, 130429 above it (default 80; 0: none)",
                Crowd.usage());
    }

    public static void main(String[] args) throws Exception {
        List<String> options = Arrays.asList(args);
        if (options.contains("--help") || options.contains("-h")) {
            System.out.println(usage());
            return;
        }
        Running running;
        try {
            running = start(options);
        } catch (IllegalArgumentException e) {
            System.err.println("[simulator] " + e.getMessage() + "\n\n" + usage());
            System.exit(64);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(running::close, "simulator-stop"));
        System.out.println("[simulator] Cloud API on " + running.simulator().baseUrl() + " (phone number id "
                + running.simulator().config().phoneNumberId() + "), webhooks to " + running.simulator().config().webhookUrl());
        System.out.println("[simulator] customers: " + running.crowd().options().describe());
        Crowd.Counts last = null;
        while (true) {
            Thread.sleep(10_000);
            Crowd.Counts now = running.crowd().counts();
            if (!now.equals(last)) {
                System.out.printf("[simulator] %d messages accepted, %d throttled; %d read (%d receipts sent), %d clicks, %d orders, "
                                + "%d replies, %d CSAT answers, %d stops%n", running.simulator().sentCount(), running.simulator().throttled(),
                        now.reads(), now.receipts(), now.clicks(), now.orders(), now.replies(), now.csatAnswers(), now.stops());
                last = now;
            }
        }
    }

    /** A running simulator and its crowd. */
    public record Running(CloudApiSimulator simulator, Crowd crowd) implements AutoCloseable {

        @Override
        public void close() {
            crowd.close();
            simulator.close();
        }
    }

    /** Starts the simulator and its crowd as {@code args} say (see {@link #usage()}). */
    public static Running start(List<String> args) {
        Map<String, String> flags = flags(args);
        CloudApiSimulator.Config local = CloudApiSimulator.Config.local(null);
        String secrets = Suite.localSecrets().get("COMMERCE_WEBHOOK_SECRET");
        CloudApiSimulator.Config config;
        int port;
        try {
            config = new CloudApiSimulator.Config(flags.getOrDefault("--access-token", local.accessToken()),
                    flags.getOrDefault("--app-secret", local.appSecret()), flags.getOrDefault("--waba-id", local.wabaId()),
                    flags.getOrDefault("--phone-number-id", local.phoneNumberId()),
                    flags.getOrDefault("--display-number", local.displayNumber()),
                    URI.create(flags.getOrDefault("--webhook-url", "http://localhost:8081/webhooks/whatsapp")),
                    Integer.parseInt(flags.getOrDefault("--max-per-second", String.valueOf(local.maxPerSecond()))));
            port = Integer.parseInt(flags.getOrDefault("--port", "8090"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cannot read an option: " + e.getMessage());
        }
        Crowd.Options crowdOptions = Crowd.parse(args, Crowd.Options.defaults().withShop(URI.create("http://localhost:8081/l/"),
                URI.create("http://localhost:8081/webhooks/commerce"), secrets));
        ZoneId zone = Crowd.zone(args);
        CloudApiSimulator simulator = CloudApiSimulator.start(config, port);
        simulator.zone(zone);
        return new Running(simulator, Crowd.attach(simulator, crowdOptions));
    }

    private static Map<String, String> flags(List<String> args) {
        List<String> known = List.of("--port", "--webhook-url", "--access-token", "--app-secret", "--phone-number-id", "--waba-id",
                "--display-number", "--max-per-second");
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String key = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (known.contains(key)) {
                String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : i + 1 < args.size() ? args.get(++i) : null;
                if (value == null) {
                    throw new IllegalArgumentException(key + " needs a value");
                }
                out.put(key, value);
            } else if (Crowd.FLAGS.contains(key)) {
                i += arg.contains("=") ? 0 : 1;
            } else {
                throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        return out;
    }
}
