package io.sohbet.webhook.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.sohbet.events.MessageIds;
import io.sohbet.events.SubjectIds;
import io.sohbet.webhook.client.IdentifierLinks;
import io.sohbet.webhook.config.WebhookConfig;
import io.sohbet.webhook.messaging.EventPublisher;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The WhatsApp webhook pipeline: verify the signature over the raw bytes, parse, resolve the people it names through
 * consent-service's identifier links (those this replica does not know yet, in one call; today's derivation when
 * consent-service does not answer, counted in {@value #LINK_FALLBACKS}), read every item (message ids
 * replaced by their keyed hashes), seal personal fields with the subjects' keys, drop the events about people erased
 * since they happened (the vault gives no key for them, and says when they were erased, also for statuses and
 * preferences that need no key; {@link ErasedEventDrops}), publish the rest, and complete only when Kafka has
 * acknowledged every event.
 */
@ApplicationScoped
public class WhatsAppIngestion {


    /** Values of account webhooks not on the allow-list, dropped before publishing; tagged by field, never by value. */
    public static final String DROPPED = "sohbet.webhook.account.dropped";
    /**
     * Deliveries whose identifiers could not be looked up in consent-service's links (down, slow, breaker open): their
     * people were resolved by today's derivation (phone, else BSUID) instead. Tagged by reason.
     */
    public static final String LINK_FALLBACKS = "sohbet.webhook.subjects.fallback";
    /** Items older than Meta's retry horizon, dropped as replays; tagged by topic. */
    public static final String REPLAYS = "sohbet.webhook.replays.dropped";

    private final WebhookConfig config;
    private final SignatureVerifier signatures;
    private final WhatsAppWebhookReader reader;
    private final SubjectResolver subjects;
    private final IdentifierLinks links;
    private final Counter linkFallbacks;
    private final SubjectSealers keys;
    private final EventPublisher publisher;
    private final ErasedEventDrops drops;
    private final MeterRegistry registry;

    public WhatsAppIngestion(WebhookConfig config, SubjectSealers keys, EventPublisher publisher, MeterRegistry registry,
            ErasedEventDrops drops, IdentifierLinks links) {
        this.config = config;
        this.signatures = new SignatureVerifier(List.of(config.whatsapp().appSecret(),
                config.whatsapp().previousAppSecret().orElse("")));
        this.subjects = new SubjectResolver(
                new SubjectIds(config.pepper().getBytes(StandardCharsets.UTF_8), config.defaultRegion()),
                config.subjectCache().size(), config.subjectCache().ttl(), config.subjectCache().linkTtl(),
                config.subjectCache().unlinkedTtl());
        this.links = links;
        this.linkFallbacks = Counter.builder(LINK_FALLBACKS).description("WhatsApp deliveries whose people were resolved "
                + "without consent-service's identifier links (unavailable): by phone, else BSUID").tag("reason", "unavailable")
                .register(registry);
        this.reader = new WhatsAppWebhookReader(subjects, MessageIds.withKey(config.messageIdKey()),
                (field, values) -> Counter.builder(DROPPED).description("Values of account webhooks dropped as not "
                        + "known to be non-personal").tag("field", AccountAllowList.tag(field)).register(registry)
                        .increment(values));
        this.keys = keys;
        // an erasure handled by this replica drops the person's cached links at once (other replicas' expire: link-ttl)
        keys.onErased(subjects::forget);
        this.publisher = publisher;
        this.drops = drops;
        this.registry = registry;
    }

    /**
     * The drafts that happened within Meta's retry horizon: an older item cannot be a delivery or a retry of Meta's,
     * only a replay of a captured (signed) body; it is dropped and counted, the rest of the delivery goes on (a refusal
     * would have Meta retry the whole batch for days). Account events carry their receipt time and always pass.
     */
    private List<EventDraft> withinHorizon(List<EventDraft> drafts, Instant received) {
        Instant horizon = received.minus(config.whatsapp().replayHorizon());
        List<EventDraft> fresh = new ArrayList<>(drafts.size());
        for (EventDraft draft : drafts) {
            if (draft.time() != null && draft.time().isBefore(horizon)) {
                Counter.builder(REPLAYS).description("WhatsApp webhook items older than Meta's retry horizon, dropped")
                        .tag("topic", draft.topic()).register(registry).increment();
            } else {
                fresh.add(draft);
            }
        }
        return fresh;
    }

    /** Meta's GET handshake: the challenge when mode and token are right, else empty. */
    public boolean handshakeAccepted(String mode, String verifyToken) {
        return "subscribe".equals(mode) && verifyToken != null && MessageDigest.isEqual(
                verifyToken.getBytes(StandardCharsets.UTF_8),
                config.whatsapp().verifyToken().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Ingests one delivery; the number of events published. A Vert.x future, completed on the caller's context: the
     * WhatsApp route's hot path has no Mutiny operators (docs/benchmarks.md); the rare calls to consent-service are
     * Mutiny's and joined here. A bad signature or body is thrown, not returned as a failed future: both callers call
     * it inside a composition (Vert.x {@code compose}, Mutiny {@code flatMap}) that turns it into the failure.
     */
    public Future<Integer> ingest(byte[] body, String signature) {
        if (!signatures.verify(body, signature)) {
            throw new InvalidSignatureException("X-Hub-Signature-256");
        }
        // most deliveries hold statuses only: read in one streaming pass, the same drafts as from the tree
        List<StatusDeliveryReader.Item> statuses = StatusDeliveryReader.read(body);
        if (statuses != null) {
            Instant received = Instant.now();
            List<EventDraft> drafts = reader.readStatuses(statuses, received);
            if (drafts != null) {
                return publish(drafts, received);
            }
        }
        JsonNode root = WebhookJson.parse(body);
        Set<String> ask = subjects.unknown(reader.identifiersToLookUp(root));
        if (ask.isEmpty()) {
            return ingest(root, Map.of());
        }
        return onCaller(links.lookUp(ask).map(linked -> {
            subjects.learn(ask, linked);
            return linked;
        }).onFailure().recoverWithItem(e -> {
            linkFallbacks.increment(); // never lose nor refuse the webhook: resolved by derivation, as before links
            return Map.of();
        })).compose(linked -> ingest(root, linked));
    }

    private Future<Integer> ingest(JsonNode root, Map<String, String> linked) {
        Instant received = Instant.now();
        return publish(reader.read(root, received, linked), received);
    }

    private Future<Integer> publish(List<EventDraft> read, Instant received) {
        List<EventDraft> drafts = withinHorizon(read, received);
        // a status or preference older on arrival than an erasure takes to complete (the participants' wait, 25 s) may
        // be about a person erased since it happened (Meta retries a delivery for up to 7 days): only such are checked
        Instant late = received.minus(keys.lateAfter());
        // per subject the latest time: the vault gives a key if anything is new (after an erasure), and the events
        // of the batch from at or before the erasure are dropped one by one below
        Map<String, Instant> happenedAt = new HashMap<>();
        // statuses and preferences: nothing to seal, but about a person all the same (Meta's retry of an erased
        // person's "read" must not go out keyed by their subject id), so the subjects of late ones are checked too,
        // creating no key. Only late ones: statuses are most of the traffic, each new recipient would cost a call to
        // the vault (measured: 10 times fewer webhooks per second), and a fresh status of a person erased long ago is
        // still dropped by every reader
        Set<String> unsealed = new HashSet<>();
        for (EventDraft draft : drafts) {
            if (draft.personal()) {
                happenedAt.merge(draft.subject(), draft.time(), (a, b) -> a.isAfter(b) ? a : b);
            } else if (draft.subject() != null && draft.time() != null && draft.time().isBefore(late)) {
                unsealed.add(draft.subject());
            }
        }
        if (happenedAt.isEmpty() && unsealed.isEmpty()) {
            // nothing to seal or check (fresh statuses): no call, no wait
            List<EventPublisher.Outgoing> events = outgoing(drafts, SubjectSealers.NOTHING_SEALED);
            return publisher.publish(events).map(events.size());
        }
        Uni<SubjectSealers.Sealing> sealing = keys.sealerFor(happenedAt, unsealed)
                .onFailure().transform(KeyVaultUnavailableException::new);
        return onCaller(sealing).compose(s -> {
            List<EventPublisher.Outgoing> events = outgoing(drafts, s);
            return publisher.publish(events).map(events.size());
        });
    }

    /** A Mutiny answer as a Vert.x future, completed on the caller's context (when it has one). */
    private static <T> Future<T> onCaller(Uni<T> uni) {
        Context caller = Vertx.currentContext();
        return caller == null ? Future.fromCompletionStage(uni.subscribeAsCompletionStage())
                : Future.fromCompletionStage(uni.subscribeAsCompletionStage(), caller);
    }

    private List<EventPublisher.Outgoing> outgoing(List<EventDraft> drafts, SubjectSealers.Sealing s) {
        List<EventPublisher.Outgoing> events = new ArrayList<>(drafts.size());
        for (EventDraft draft : drafts) {
            if (s.erased(draft.subject(), draft.time())) {
                drops.count(draft.topic()); // about a person erased since: published never, answered 200 all the same
                continue;
            }
            events.add(new EventPublisher.Outgoing(draft.topic(), draft.key(), draft.encode(s.sealer())));
        }
        return events;
    }
}
