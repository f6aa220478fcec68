package io.sohbet.consent.service;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.sohbet.consent.messaging.AuditHeads;
import io.sohbet.events.payload.AuditHead;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Optional;

/**
 * Verifies the audit chain: every entry against the chain's rules and keys ({@link AuditChain}), then the chain's end
 * against the newest head published to Kafka, which is outside the database: a chain cut short, or rewritten as a
 * whole, fits its own rules but no longer holds the published head.
 */
@ApplicationScoped
public class AuditVerifier {

    private static final Logger LOG = Logger.getLogger(AuditVerifier.class);

    private final AuditLog audit;
    private final AuditHeads heads;
    private final Pool database;

    public AuditVerifier(AuditLog audit, AuditHeads heads, Pool database) {
        this.audit = audit;
        this.heads = heads;
        this.database = database;
    }

    /**
     * The newest head published to {@code audit.head} and whether the chain still holds it: {@code matches},
     * {@code differs} (the entry was rewritten), {@code missing} (the chain was cut short), {@code none} (nothing
     * published yet) or {@code unavailable} (Kafka did not answer; the chain alone was checked).
     */
    public record PublishedHead(Long seq, String hash, Instant at, String status) {
    }

    /**
     * The outcome of a verification.
     *
     * @param legacyEntries the unkeyed entries from before V10 (checked by the legacy rule, pinned by the first keyed one)
     * @param headHash      the hash of the last entry that fitted
     */
    public record Verification(boolean valid, long checked, Long firstInvalidSeq, String problem, Long headSeq,
            String headHash, long legacyEntries, PublishedHead publishedHead) {
    }

    public Uni<Verification> verify() {
        // the published head is read first: any head published before the walk is at or below the chain's end then
        Uni<PublishedHead> published = Uni.createFrom().item(this::newestPublished)
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        return published.flatMap(head -> audit.walk(0, AuditChain.GENESIS).flatMap(walk -> compare(walk, head)));
    }

    private PublishedHead newestPublished() {
        try {
            Optional<AuditHead> head = heads.latest();
            return head.map(h -> new PublishedHead(h.seq(), h.hash(), h.at(), null))
                    .orElse(new PublishedHead(null, null, null, "none"));
        } catch (RuntimeException e) {
            LOG.warnf("the published audit head could not be read: %s", e.getClass().getSimpleName());
            return new PublishedHead(null, null, null, "unavailable");
        }
    }

    private Uni<Verification> compare(AuditChain.Walk walk, PublishedHead head) {
        AuditChain.Problem problem = walk.problem();
        Long headSeq = walk.lastSeq() == 0 ? null : walk.lastSeq();
        long legacy = walk.boundary().lastSeq();
        if (head.status() != null) {
            return Uni.createFrom().item(verification(walk, problem, headSeq, legacy, head));
        }
        return database.preparedQuery("SELECT hash FROM audit_entry WHERE seq = $1").execute(Tuple.of(head.seq())).map(rows -> {
            String status;
            AuditChain.Problem found = problem;
            if (rows.size() == 0) {
                status = "missing";
                if (found == null) {
                    found = new AuditChain.Problem(walk.lastSeq() + 1, "entries up to " + head.seq() + " were published ("
                            + head.at() + ") and are gone: the chain was cut short");
                }
            } else if (!head.hash().equals(rows.iterator().next().getString("hash"))) {
                status = "differs";
                if (found == null) {
                    found = new AuditChain.Problem(head.seq(), "the entry differs from the head published for it ("
                            + head.at() + "): the chain was rewritten");
                }
            } else {
                status = "matches";
            }
            return verification(walk, found, headSeq, legacy, new PublishedHead(head.seq(), head.hash(), head.at(), status));
        });
    }

    private static Verification verification(AuditChain.Walk walk, AuditChain.Problem problem, Long headSeq, long legacy,
            PublishedHead head) {
        return new Verification(problem == null, walk.checked(), problem == null ? null : problem.seq(),
                problem == null ? null : problem.description(), headSeq, walk.lastSeq() == 0 ? null : walk.head(), legacy, head);
    }
}
