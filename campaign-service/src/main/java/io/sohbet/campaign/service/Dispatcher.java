package io.sohbet.campaign.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.sohbet.campaign.client.CloudApi;
import io.sohbet.campaign.client.ContactApi;
import io.sohbet.campaign.client.TemplateCatalog;
import io.sohbet.kit.ServiceTokens;
import io.sohbet.campaign.config.CampaignConfig;
import io.sohbet.campaign.domain.CampaignDefinition;
import io.sohbet.campaign.messaging.CampaignMessages;
import io.sohbet.campaign.service.SendQueue.Claim;
import io.sohbet.campaign.service.SendQueue.Claimed;
import io.sohbet.events.LinkKeys;
import io.sohbet.events.LinkTokens;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sending worker of this replica. One thread claims due recipients a little ahead of their send slots, asks
 * consent-service for the contacts of exactly those recipients (consent as of that moment), moves recipients whose
 * local time is in quiet hours, skips free-form messages to customers outside their 24-hour customer service window,
 * and fires each message at its slot on the event loop; the Cloud API's answer decides the row's fate (sent, retried
 * later, deferred 24 h, failed for good, or unconfirmed). Any number of replicas can run it: claims are exclusive and
 * the rate is shared through PostgreSQL.
 *
 * <p>Every request takes a slot of the shared rate: a quick retry of a request that was not accepted reserves a new
 * slot ({@link SendQueue#reserveSlot}) and waits for it like any message; a throughput error slows the shared rate
 * down and sends the recipient back to the queue without counting an attempt. A template Meta refuses (paused, disabled,
 * missing, other parameters) pauses the campaigns using it and sends the recipient back the same way.
 */
@ApplicationScoped
public class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);
    /** Codes that mean "the phone number (or app) is sending too fast": slow everyone down. */
    static final Set<Integer> THROTTLE = Set.of(130429, 80007, 4, 131048);
    static final int PAIR_LIMIT = 131056;
    static final int ECOSYSTEM_LIMIT = 131049;
    /** More than 24 hours since the customer last wrote: only templates may go. */
    static final int OUTSIDE_WINDOW = 131047;
    static final Duration CUSTOMER_SERVICE_WINDOW = Duration.ofHours(24);
    /**
     * The template cannot be sent as defined (parameter count, missing or not approved in that language, paused, disabled):
     * the template's condition, not the recipient's, so the campaigns using it are paused.
     */
    static final Set<Integer> TEMPLATE_UNUSABLE = Set.of(132000, 132001, 132015, 132016);
    /** An authentication template sent to a business-scoped user id: Meta only sends those to phone numbers. */
    static final int AUTHENTICATION_TO_BSUID = 131062;
    /**
     * Graph permission errors on the Marketing Messages API: the business portfolio has not accepted its terms or is not
     * onboarded (Meta documents no code of its own for that; Twilio reports it as 63062). Every send of the campaign
     * would be refused alike.
     */
    static final Set<Integer> MARKETING_MESSAGES_UNAVAILABLE = Set.of(3, 10, 200, 294);
    static final String AUTHENTICATION_NEEDS_PHONE = "an authentication template cannot go to a business-scoped user id "
            + "(Meta refuses it with 131062) and no phone number is known for the recipient; not attempted";

    private final SendQueue queue;
    private final Campaigns campaigns;
    private final ContactApi contacts;
    private final ServiceTokens tokens;
    private final CloudApi cloudApi;
    private final TemplateCatalog catalog;
    private final CampaignMessages published;
    private final CustomerWindows windows;
    private final CampaignConfig config;
    private final LinkTokens links;
    private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
    private final MeterRegistry registry;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Free connections to the Cloud API ({@code whatsapp.max-connections}): a request is made only with one. */
    private final java.util.concurrent.Semaphore connections;
    private final Counter noConnection;
    private final io.micrometer.core.instrument.Timer claims;
    private final io.micrometer.core.instrument.Timer resolves;
    private volatile boolean running;
    private Thread thread;
    private Thread pacerThread;
    /** Messages waiting for their slots, earliest slot first (a quick retry's slot comes after those claimed before it). */
    private final java.util.concurrent.BlockingQueue<Ready> pacer = new java.util.concurrent.PriorityBlockingQueue<>(1024,
            java.util.Comparator.comparing((Ready r) -> r.row().slot()));
    private final java.util.Queue<SendQueue.Accepted> acceptedBuffer = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.ScheduledExecutorService recorder = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "campaign-recorder");
        t.setDaemon(true);
        return t;
    });

    public Dispatcher(SendQueue queue, Campaigns campaigns, @RestClient ContactApi contacts, ServiceTokens tokens, CloudApi cloudApi,
            TemplateCatalog catalog, CampaignMessages published, CustomerWindows windows, CampaignConfig config, MeterRegistry registry) {
        this.catalog = catalog;
        this.queue = queue;
        this.windows = windows;
        this.campaigns = campaigns;
        this.contacts = contacts;
        this.tokens = tokens;
        this.cloudApi = cloudApi;
        this.published = published;
        this.config = config;
        this.registry = registry;
        this.links = new LinkTokens(LinkKeys.of(config.links().keyId(), config.links().secret(),
                config.links().secrets().orElse(List.of())), config.links().lifetime(), Optional.empty());
        registry.gauge("sohbet.campaign.sends.in.flight", inFlight);
        this.connections = new java.util.concurrent.Semaphore(Math.max(1, config.whatsapp().maxConnections()));
        this.noConnection = Counter.builder("sohbet.campaign.sends.no.connection").description("Recipients late for their second "
                + "because every connection to the Cloud API was busy until its deadline (also counted as late)").register(registry);
        this.claims = io.micrometer.core.instrument.Timer.builder("sohbet.campaign.claim").description("Claiming a batch of due recipients")
                .publishPercentiles(0.5, 0.99).register(registry);
        this.resolves = io.micrometer.core.instrument.Timer.builder("sohbet.campaign.consent.resolve")
                .description("Resolving a claimed batch's contacts at consent-service").publishPercentiles(0.5, 0.99).register(registry);
    }

    void start(@Observes StartupEvent event) {
        queue.ensureRateRow().await().indefinitely();
        if (!config.sending().enabled()) {
            LOG.info("sending is disabled on this replica");
            return;
        }
        running = true;
        thread = new Thread(this::loop, "campaign-dispatcher");
        thread.setDaemon(true);
        thread.start();
        pacerThread = new Thread(this::pace, "campaign-pacer");
        pacerThread.setDaemon(true);
        pacerThread.start();
        recorder.scheduleWithFixedDelay(this::recordAccepted, 50, 50, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Stops claiming; what was already claimed still goes out (at most the horizon's worth), then the pacer ends. */
    void stop(@Observes ShutdownEvent event) {
        running = false;
        try {
            if (thread != null) {
                thread.interrupt();
                thread.join(5000);
            }
            if (pacerThread != null) {
                pacerThread.join(5000);
            }
            long deadline = System.currentTimeMillis() + 5000;
            while (inFlight.get() > 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            recorder.shutdown();
            recorder.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
            recordAccepted();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public int inFlight() {
        return inFlight.get();
    }

    private void loop() {
        // how long claiming, resolving and building a batch took lately (a peak that decays by a tenth per batch): the
        // next claim covers more send time than that and starts further ahead (ClaimAhead)
        long preparing = 0;
        while (running) {
            try {
                long started = System.nanoTime();
                ClaimAhead ahead = ClaimAhead.of(Duration.ofNanos(preparing), config.sending().lead(), config.sending().batchSpan());
                Claim claim = queue.claim(Instant.now(), ahead.lead(), ahead.span()).await().atMost(Duration.ofSeconds(30));
                claims.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
                if (claim.rows().isEmpty()) {
                    pauseUntil(claim.retryAt());
                    continue;
                }
                dispatch(claim);
                preparing = Math.max(System.nanoTime() - started, preparing * 9 / 10);
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warnf("claiming failed (%s); trying again in a second", e.getClass().getSimpleName());
                    pauseUntil(Instant.now().plusSeconds(1));
                }
            }
        }
    }

    private void pauseUntil(Instant when) {
        long millis = when == null ? 250 : Math.min(1000, Math.max(1, Duration.between(Instant.now(), when).toMillis()));
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Consent at this moment, quiet hours in the recipient's zone, then each message at its slot. */
    void dispatch(Claim claim) {
        List<String> subjects = claim.rows().stream().map(Claimed::subjectId).distinct().toList();
        ContactApi.Resolution resolution;
        try {
            long started = System.nanoTime();
            resolution = tokens.authorization().flatMap(auth -> contacts.resolve(auth, new ContactApi.ResolveRequest("marketing", subjects)))
                    .await().atMost(Duration.ofSeconds(15));
            resolves.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            LOG.warnf("consent-service unavailable (%s): %d recipients go back to the queue", e.getClass().getSimpleName(), claim.rows().size());
            Map<Long, Instant> later = new HashMap<>();
            claim.rows().forEach(r -> later.put(r.id(), Instant.now().plusSeconds(5)));
            queue.requeue(later, "consent-service unavailable").chain(() -> queue.returnSlots(claim, claim.rows().size()))
                    .await().atMost(Duration.ofSeconds(10));
            pauseUntil(Instant.now().plusSeconds(1));
            return;
        }
        Map<String, ContactApi.Contact> bySubject = new HashMap<>();
        if (resolution.contacts() != null) {
            resolution.contacts().forEach(c -> bySubject.put(c.subjectId(), c));
        }
        Map<String, String> withheld = new HashMap<>();
        if (resolution.withheld() != null) {
            resolution.withheld().forEach(w -> withheld.put(w.subjectId(), w.reason()));
        }
        Map<Long, String> skipped = new LinkedHashMap<>();
        Map<Long, String> outsideWindow = new LinkedHashMap<>();
        Map<Long, String> broken = new LinkedHashMap<>();
        Map<Long, Instant> later = new LinkedHashMap<>();
        List<Ready> ready = new java.util.ArrayList<>();
        Instant now = Instant.now();
        Map<String, CampaignDefinition> definitions = new HashMap<>();
        claim.rows().forEach(r -> definitions.computeIfAbsent(r.campaignId(), id -> campaigns.definition(id).await().atMost(Duration.ofSeconds(10))));
        Map<String, Instant> lastInbound = windows.lastInbound(claim.rows().stream()
                .filter(r -> !variantOf(definitions.get(r.campaignId()), r).map(v -> v.message().type().equals("template")).orElse(true))
                .map(Claimed::subjectId).distinct().toList()).await().atMost(Duration.ofSeconds(10));
        Map<String, List<TemplateCatalog.WabaTemplate>> templates = null;
        for (Claimed row : claim.rows()) {
            ContactApi.Contact contact = bySubject.get(row.subjectId());
            if (contact == null || !contact.reachable()) {
                skipped.put(row.id(), withheld.getOrDefault(row.subjectId(), "no-consent"));
                count("skipped-no-consent");
                continue;
            }
            CampaignDefinition definition = definitions.get(row.campaignId());
            Optional<CampaignDefinition.Variant> chosen = variantOf(definition, row);
            if (chosen.isEmpty()) {
                // never a silent stand-in: a row whose variant the campaign does not have is not sent
                broken.put(row.id(), "variant " + row.variant() + " is not one of the campaign's variants; not sent");
                count("failed");
                continue;
            }
            ZoneId known = RecipientZones.of(contact.phone());
            ZoneId zone = known == null ? config.quietHours().timeZone() : known;
            Instant due = localDue(row, definition, zone, now);
            if (due.isAfter(now.plusSeconds(60))) {
                later.put(row.id(), due);
                count("moved-to-local-time");
                continue;
            }
            CampaignDefinition.Variant variant = chosen.get();
            CampaignDefinition.Message message = variant.message();
            if (contact.recipientBsuid() != null && message.type().equals("template") && message.template() != null) {
                if (templates == null) {
                    templates = templatesOrNone();
                }
                if (authentication(templates, message.template())) {
                    if (contact.phone() == null) {
                        broken.put(row.id(), AUTHENTICATION_NEEDS_PHONE);
                        count("failed-authentication-to-bsuid");
                        continue;
                    }
                    // addressed by BSUID (their number withheld), but the number is held: Meta sends these to numbers only
                    contact = contact.byPhone();
                }
            }
            if (!message.type().equals("template")) {
                Instant last = lastInbound.get(row.subjectId());
                if (last == null || !last.isAfter(now.minus(CUSTOMER_SERVICE_WINDOW))) {
                    outsideWindow.put(row.id(), last == null ? "no message from the customer known: a " + message.type()
                            + " message can only go inside the 24-hour customer service window; send a template instead"
                            : "the customer last wrote over 24 hours ago: a " + message.type() + " message can only go inside "
                            + "the 24-hour customer service window; send a template instead");
                    count("skipped-no-window");
                    continue;
                }
            }
            String token = message.trackedLink() == null ? null : links.issue(new LinkTokens.Link(row.campaignId(), variant.id(),
                    row.subjectId(), message.trackedLink().id(), message.trackedLink().target()));
            ready.add(new Ready(row.at(claim.slots().after(claim.start(), ready.size())), message.type(),
                    Messages.body(row.id(), message, contact, token, config.links().baseUrl().map(Object::toString).orElse(null)), 0,
                    definition.marketingMessages() && message.type().equals("template")));
        }
        queue.skipped(skipped).chain(() -> queue.skipped(outsideWindow, "skipped-no-window", null))
                .chain(() -> failAll(broken, now))
                .chain(() -> queue.requeue(later, "recipient's local time"))
                .chain(() -> queue.returnSlots(claim, claim.rows().size() - ready.size()))
                .await().atMost(Duration.ofSeconds(10));
        inFlight.addAndGet(ready.size());
        pacer.addAll(ready);
    }

    /**
     * Fires each message at its slot. A message late for its slot (a busy CPU, a GC pause, a slow claim) still goes out
     * as long as its slot's calendar second is not over (up to {@link SendSlots#deadline}), no two closer than the slot
     * spacing divided by {@code catch-up}: the second then carries its slots all the same, and never more, as every
     * slot of that second was handed out once across all replicas. A message that cannot make its second goes back to
     * the queue for a new slot (sent in the next second it would take a slot another message holds), at its place in the
     * queue ({@link SendQueue#late}): the next claim takes it first.
     */
    private void pace() {
        Late late = new Late();
        long last = Long.MIN_VALUE / 2;
        try {
            while (running || !pacer.isEmpty()) {
                // the late go back within 100 ms, a batch at a time: held until the pacer ran dry, those of a long
                // campaign's first seconds stayed 'sending' until housekeeping gave them up as unconfirmed, never sent
                if (late.due() || (!late.isEmpty() && pacer.isEmpty())) {
                    late.requeue(false);
                }
                Ready r;
                try {
                    r = pacer.poll(late.isEmpty() ? 200 : 20, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (r == null) {
                    continue;
                }
                SendSlots slots = queue.slots(1);
                long minGap = (long) (slots.spacing().toNanos() / Math.max(1, config.sending().catchUp()));
                Instant slot = r.row().slot();
                long now = System.nanoTime();
                Instant wall = Instant.now();
                long slotNanos = now + Duration.between(wall, slot).toNanos();
                long deadline = now + Duration.between(wall, slots.deadline(slot)).toNanos();
                long at = Math.max(slotNanos, last + minGap);
                long wait;
                while (at < deadline && (wait = at - System.nanoTime()) > 0) {
                    if (late.due()) { // waiting for a far slot (a quick retry's, up to 5 s) holds no late recipient back
                        late.requeue(false);
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(late.isEmpty() ? wait : Math.min(wait, late.dueIn()));
                }
                boolean connected;
                try {
                    // woken after its deadline (a collector pause, a busy CPU): late, whatever the connections
                    connected = at < deadline && System.nanoTime() < deadline && connection(deadline, late);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    late.add(r);
                    inFlight.decrementAndGet();
                    return;
                }
                if (!connected) {
                    // its second is over (or no connection came free in it): sent now it would count in a second whose
                    // slots are all handed out already
                    late.add(r);
                    inFlight.decrementAndGet();
                    continue;
                }
                last = at;
                send(r);
            }
        } finally {
            late.requeue(true); // stopping: written before the database closes, or they would stay 'sending'
        }
    }

    /**
     * Takes one of the {@code max-connections} connections to the Cloud API, waiting for one until {@code deadline}
     * ({@link System#nanoTime}); the late go back to the queue meanwhile. Only a request that holds one is made: one made
     * without would wait in the HTTP client's queue after its deadline was checked and reach Meta in a later second,
     * over the rate (130429 on a slow answer, when every connection is busy).
     */
    private boolean connection(long deadline, Late late) throws InterruptedException {
        if (connections.tryAcquire()) {
            return true;
        }
        long wait;
        while ((wait = deadline - System.nanoTime()) > 0) {
            if (connections.tryAcquire(late.isEmpty() ? wait : Math.max(0, Math.min(wait, late.dueIn())),
                    java.util.concurrent.TimeUnit.NANOSECONDS)) {
                if (System.nanoTime() < deadline) {
                    return true;
                }
                connections.release(); // given just in time, but this thread ran only after the deadline
                break;
            }
            if (late.due()) {
                late.requeue(false);
            }
        }
        noConnection.increment();
        return false;
    }

    /** How long a recipient late for its slot waits at most for others to go back to the queue with it. */
    private static final long LATE_FLUSH_NANOS = 100_000_000L;

    /** The pacer's recipients late for their second, not yet back in the queue (the pacer's thread only). */
    private final class Late {

        private final List<Long> ids = new java.util.ArrayList<>();
        /** Those late on a quick retry: their failed request was an attempt, which going back does not give back. */
        private final List<Long> retried = new java.util.ArrayList<>();
        private long since;

        void add(Ready r) {
            if (ids.isEmpty()) {
                since = System.nanoTime();
            }
            ids.add(r.row().id());
            if (r.retry() > 0) {
                retried.add(r.row().id());
            }
        }

        boolean isEmpty() {
            return ids.isEmpty();
        }

        /** Whether the batch should go back now: 100 of them, or the first waited 100 ms. */
        boolean due() {
            return !ids.isEmpty() && (ids.size() >= 100 || dueIn() <= 0);
        }

        long dueIn() {
            return since + LATE_FLUSH_NANOS - System.nanoTime();
        }

        void requeue(boolean wait) {
            if (ids.isEmpty()) {
                return;
            }
            List<Long> batch = List.copyOf(ids);
            List<Long> keep = List.copyOf(retried);
            ids.clear();
            retried.clear();
            count("late", batch.size());
            Uni<Void> write = queue.late(batch, keep);
            if (wait) {
                try {
                    write.await().atMost(Duration.ofSeconds(5));
                } catch (RuntimeException f) {
                    LOG.warnf("%d late recipients stay sending until housekeeping (%s)", batch.size(), f.getClass().getSimpleName());
                }
            } else {
                write.subscribe().with(x -> { }, f -> LOG.warnf("%d late recipients stay sending until housekeeping (%s)", batch.size(),
                        f.getClass().getSimpleName()));
            }
        }
    }

    /**
     * A recipient's message, built and waiting for its slot; {@code retry} quick retries were made already;
     * {@code marketingMessages}: through the Marketing Messages API.
     */
    private record Ready(Claimed row, String type, JsonObject body, int retry, boolean marketingMessages) {
    }

    /** The WABA's templates, or none when the Cloud API cannot list them now (Meta's 131062 is then handled on answer). */
    private Map<String, List<TemplateCatalog.WabaTemplate>> templatesOrNone() {
        try {
            return catalog.templates().await().atMost(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            LOG.warnf("template categories unavailable (%s): recipients without a phone are attempted", e.getClass().getSimpleName());
            return Map.of();
        }
    }

    /** Whether the message's template (in its language) is an AUTHENTICATION template at Meta. */
    static boolean authentication(Map<String, List<TemplateCatalog.WabaTemplate>> templates, CampaignDefinition.Template t) {
        return templates.getOrDefault(t.name(), List.of()).stream()
                .anyMatch(w -> t.language().equals(w.language()) && "AUTHENTICATION".equalsIgnoreCase(w.category()));
    }

    /** The row's variant of the campaign, empty when the campaign has no such variant. */
    static Optional<CampaignDefinition.Variant> variantOf(CampaignDefinition definition, Claimed row) {
        if (definition == null) {
            return Optional.empty();
        }
        return definition.variants().stream().filter(v -> v.id().equals(row.variant())).findFirst();
    }

    private Uni<Void> failAll(Map<Long, String> reasons, Instant at) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Map.Entry<Long, String> e : reasons.entrySet()) {
            chain = chain.chain(() -> queue.fail(e.getKey(), null, e.getValue(), at));
        }
        return chain;
    }

    /**
     * Records the messages accepted since the last round in one statement, then publishes their
     * {@code campaign.message} events. Until recorded a row stays {@code sending}: if this process dies in between,
     * the row becomes unconfirmed and is not sent again (its status webhook can still confirm it).
     */
    private synchronized void recordAccepted() {
        List<SendQueue.Accepted> batch = new java.util.ArrayList<>();
        SendQueue.Accepted a;
        while ((a = acceptedBuffer.poll()) != null) {
            batch.add(a);
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            queue.sent(batch).await().atMost(Duration.ofSeconds(30));
            for (SendQueue.Accepted m : batch) {
                campaigns.definition(m.campaignId())
                        .chain(d -> published.publish(m.id(), m.subjectId(), m.wamid(), m.campaignId(), m.variant(), m.messageType(), m.at(),
                                d != null && d.csatSurvey()))
                        .subscribe().with(x -> { }, f -> { });
            }
        } catch (RuntimeException e) {
            LOG.warnf("recording %d sent messages failed (%s); they become unconfirmed and are confirmed by their status webhooks",
                    batch.size(), e.getClass().getSimpleName());
        }
    }

    /**
     * When the row may go out in the recipient's zone (from their number now): local-time scheduling and quiet hours,
     * as of {@code now}. Planning already used the zone it found; the local time is worked out again only when the zone
     * differs (a number that changed, or one unknown at planning).
     */
    Instant localDue(Claimed row, CampaignDefinition definition, ZoneId zone, Instant now) {
        Instant due = now;
        CampaignDefinition.Schedule schedule = definition.scheduleOrNow();
        ZoneId planned = row.timeZone() == null ? config.quietHours().timeZone() : RecipientZones.parse(row.timeZone());
        if ("local-time".equals(schedule.mode()) && !zone.equals(planned)) {
            Instant from = "rest".equals(row.phase()) && row.testEnds() != null ? row.testEnds() : row.campaignStart();
            Instant local = SendTimes.localTime(from == null ? now : from, schedule.localTime(), zone);
            if (local.isAfter(due)) {
                due = local;
            }
        }
        return Scheduling.quietHours(definition, config).nextAllowed(due, zone);
    }

    private void send(Ready r) {
        Claimed row = r.row();
        Uni<CloudApi.Outcome> request;
        try {
            request = cloudApi.send(r.body(), r.marketingMessages());
        } catch (RuntimeException e) { // building the request failed: nothing went out, and the pacer goes on
            connections.release();
            recordFailure(row, new CloudApi.TransientFailure("the request could not be built (" + e.getClass().getSimpleName() + ")",
                    null)).subscribe().with(x -> done(), f -> done(f));
            return;
        }
        request.subscribe().with(outcome -> {
                    connections.release();
                    record(row, r.type(), r.body(), outcome, r.marketingMessages()).subscribe().with(x -> done(), f -> done(f));
                },
                failure -> {
                    connections.release();
                    if (failure instanceof CloudApi.TransientFailure && r.retry() < config.whatsapp().retries() && running) {
                        retrySoon(r, failure);
                    } else {
                        recordFailure(row, failure).subscribe().with(x -> done(), f -> done(f));
                    }
                });
    }

    /**
     * A quick retry of a request that was not accepted: after {@code retry-delay} × 2^retry (at most 5 s), at a new slot
     * of the shared rate, through the pacer like every message.
     */
    private void retrySoon(Ready r, Throwable failure) {
        count("retried");
        long delay = Math.min(5000, config.whatsapp().retryDelay().toMillis() << Math.min(10, r.retry()));
        queue.reserveSlot(Instant.now().plusMillis(delay)).subscribe().with(
                slot -> pacer.add(new Ready(r.row().at(slot), r.type(), r.body(), r.retry() + 1, r.marketingMessages())),
                f -> recordFailure(r.row(), failure).subscribe().with(x -> done(), e -> done(e)));
    }

    private void done() {
        inFlight.decrementAndGet();
    }

    private void done(Throwable f) {
        inFlight.decrementAndGet();
        LOG.warnf("recording a send outcome failed (%s); the row is resolved by housekeeping", f.getClass().getSimpleName());
    }

    Uni<Void> record(Claimed row, String type, JsonObject body, CloudApi.Outcome outcome, boolean marketingMessages) {
        Instant now = Instant.now();
        if (outcome instanceof CloudApi.Accepted accepted) {
            count("sent");
            acceptedBuffer.add(new SendQueue.Accepted(row.id(), row.subjectId(), row.campaignId(), row.variant(), accepted.wamid(), type, now));
            return Uni.createFrom().voidItem();
        }
        if (outcome instanceof CloudApi.Unknown unknown) {
            count("unconfirmed");
            return queue.unconfirmed(row.id(), "no answer from the Cloud API (" + unknown.reason() + "); not resent");
        }
        CloudApi.Refused refused = (CloudApi.Refused) outcome;
        Integer code = refused.code();
        String reason = reason(refused);
        if (code != null && THROTTLE.contains(code)) {
            // the phone number's condition, not the recipient's: no attempt counted; the shared rate slows down
            count("throttled");
            return queue.throttle(now).chain(() -> queue.throttled(row.id(), now.plusSeconds(1), code, reason));
        }
        if (marketingMessages && (refused.httpStatus() == 403 || code != null && MARKETING_MESSAGES_UNAVAILABLE.contains(code))) {
            // the business portfolio cannot use the Marketing Messages API: every recipient would be refused alike, so the
            // campaign pauses and the recipient goes back to the queue without an attempt
            count("marketing-messages-refused");
            // in our words: Meta's text is free text that may repeat what the request carried
            String why = "the Marketing Messages API refused the send (" + (code == null ? "HTTP " + refused.httpStatus()
                    : code + ": " + io.sohbet.campaign.client.CloudApiErrors.meaning(code))
                    + "); accept its terms for the business portfolio, then resume";
            return campaigns.pauseFor(row.campaignId(), why)
                    .invoke(paused -> LOG.warnf("campaign %s paused: the Marketing Messages API refuses it (%s)", row.campaignId(),
                            code == null ? "HTTP " + refused.httpStatus() : code))
                    .chain(() -> queue.throttled(row.id(), now, code, reason));
        }
        JsonObject template = body == null ? null : body.getJsonObject("template");
        if (code != null && TEMPLATE_UNUSABLE.contains(code) && template != null && template.getString("name") != null) {
            // every recipient would be refused the same way: the campaigns using the template pause (as Meta's template
            // webhook pauses them) and the recipient goes back to the queue without an attempt, sent once resumed
            count("template-refused");
            String name = template.getString("name");
            String language = template.getJsonObject("language", new JsonObject()).getString("code");
            String why = "Meta refused template " + name + " (" + language + ") with " + code + " ("
                    + io.sohbet.campaign.client.CloudApiErrors.meaning(code) + "); resume once the template is approved and checked";
            // its own campaign in any case (never claimed again while it runs: no loop of refusals that cost no attempt)
            return campaigns.pauseUsingTemplate(name, language, why)
                    .call(ids -> ids.contains(row.campaignId()) ? Uni.createFrom().voidItem() : campaigns.pauseFor(row.campaignId(), why)
                            .invoke(paused -> {
                                if (paused) {
                                    ids.add(row.campaignId());
                                }
                            }))
                    .invoke(ids -> ids.forEach(id -> LOG.warnf("campaign %s paused: Meta refuses its template (%d)", id, code)))
                    .chain(() -> queue.throttled(row.id(), now, code, reason));
        }
        if (code != null && code == AUTHENTICATION_TO_BSUID) {
            // the recipient's condition (no phone number known), not the template's: this recipient fails, the rest go on
            count("failed-authentication-to-bsuid");
            return queue.fail(row.id(), code, "an authentication template cannot go to a business-scoped user id; "
                    + "a phone number is needed (Meta: " + reason + ")", now);
        }
        if (code != null && code == OUTSIDE_WINDOW) {
            count("skipped-no-window");
            return queue.skipped(Map.of(row.id(), "outside the 24-hour customer service window (Meta: " + reason + ")"),
                    "skipped-no-window", code);
        }
        if (code != null && code == PAIR_LIMIT) {
            count("pair-limited");
            long factor = 1L << (2 * Math.min(10, Math.max(0, row.attempts() - 1)));
            return retry(row, "queued", now.plus(config.sending().pairBackoff().multipliedBy(factor)), code, reason);
        }
        if (code != null && code == ECOSYSTEM_LIMIT) {
            count("deferred");
            return retry(row, "deferred", now.plus(max(config.sending().ecosystemDeferral(), Duration.ofHours(24))), code, reason);
        }
        count("failed");
        return queue.fail(row.id(), code, reason, now);
    }

    Uni<Void> recordFailure(Claimed row, Throwable failure) {
        Instant now = Instant.now();
        if (failure instanceof CloudApi.TransientFailure t) {
            count("unavailable");
            CloudApi.Refused r = t.refused();
            return retry(row, "queued", now.plusSeconds(Math.min(600, 15L * row.attempts())), r == null ? null : r.code(),
                    r == null ? "cannot reach the Cloud API" : reason(r));
        }
        count("unconfirmed");
        return queue.unconfirmed(row.id(), "send outcome unknown (" + failure.getClass().getSimpleName() + "); not resent");
    }

    private Uni<Void> retry(Claimed row, String status, Instant due, Integer code, String reason) {
        if (row.attempts() >= config.sending().maxAttempts()) {
            return queue.fail(row.id(), code, reason + " (gave up after " + row.attempts() + " attempts)", Instant.now());
        }
        return queue.retryLater(row.id(), status, due, code, reason);
    }

    static String reason(CloudApi.Refused r) {
        return r.details() == null ? r.title() : r.title() + ": " + r.details();
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private void count(String outcome) {
        count(outcome, 1);
    }

    private void count(String outcome, int recipients) {
        outcomes.computeIfAbsent(outcome, o -> Counter.builder("sohbet.campaign.sends").tag("outcome", o)
                .description("Campaign recipients by send outcome").register(registry)).increment(recipients);
    }
}
