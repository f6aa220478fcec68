package io.sohbet.consent.service;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The chain's rules and keys, without a database: rotation, the legacy boundary, what breaks a walk. */
class AuditChainTest {

    static final String K1 = Base64.getEncoder().encodeToString("audit-key-one-0123456789abcdefghij".getBytes());
    static final String K2 = Base64.getEncoder().encodeToString("audit-key-two-0123456789abcdefghij".getBytes());
    static final Instant AT = Instant.parse("2026-11-22T10:00:00.123456Z");

    /** A chain of {@code legacy} unkeyed entries, then keyed ones with each key id in turn. */
    static List<AuditChain.Link> chain(AuditKeys keys, int legacy, String... keyIds) {
        List<AuditChain.Link> links = new ArrayList<>();
        String previous = AuditChain.GENESIS;
        for (int i = 0; i < legacy + keyIds.length; i++) {
            long seq = i + 1;
            String keyId = i < legacy ? null : keyIds[i - legacy];
            String details = "{\"n\":" + seq + "}";
            String hash = keyId == null ? AuditChain.legacyHash(previous, seq, AT, "zeynep", "consent.granted", "s" + seq, details)
                    : AuditChain.keyedHash(keys, keyId, previous, seq, AT, "zeynep", "consent.granted", "s" + seq, details);
            links.add(new AuditChain.Link(seq, AT, "zeynep", "consent.granted", "s" + seq, details, keyId, previous, hash));
            previous = hash;
        }
        return links;
    }

    static AuditChain.Problem walk(AuditKeys keys, AuditChain.Boundary boundary, List<AuditChain.Link> links) {
        AuditChain.Walk walk = new AuditChain.Walk(keys, boundary, 0, AuditChain.GENESIS);
        links.forEach(walk::accept);
        return walk.finish();
    }

    @Test
    void entriesKeyedBeforeARotationVerifyWithThePreviousKey() {
        AuditKeys before = new AuditKeys("a1", K1, List.of());
        AuditKeys after = new AuditKeys("a2", K2, List.of("a1:" + K1));
        List<AuditChain.Link> links = chain(after, 0, "a1", "a1", "a2");
        assertThat(walk(after, new AuditChain.Boundary(0, AuditChain.GENESIS), links)).isNull();
        // without the old key the first entry of it is reported, not passed
        assertThat(walk(new AuditKeys("a2", K2, List.of()), new AuditChain.Boundary(0, AuditChain.GENESIS), links))
                .isEqualTo(new AuditChain.Problem(1, "the entry's key a1 is not configured"));
        assertThat(before.subjectRef("a1", "subject-0123456789")).isEqualTo(after.subjectRef("a1", "subject-0123456789"))
                .isNotEqualTo(after.subjectRef("a2", "subject-0123456789")).hasSize(22);
        assertThat(after.subjectRefsUnderEveryKey("subject-0123456789")).hasSize(2);
    }

    @Test
    void legacyEntriesPassOnlyUpToTheBoundaryAndBeforeAnyKeyedOne() {
        AuditKeys keys = new AuditKeys("a1", K1, List.of());
        List<AuditChain.Link> links = chain(keys, 3, "a1", "a1");
        AuditChain.Boundary boundary = new AuditChain.Boundary(3, links.get(2).hash());
        assertThat(walk(keys, boundary, links)).isNull();
        // a boundary moved back leaves legacy entries after it
        assertThat(walk(keys, new AuditChain.Boundary(2, links.get(1).hash()), links).seq()).isEqualTo(3);
        // a boundary marked at another hash than the entry's
        assertThat(walk(keys, new AuditChain.Boundary(3, links.get(1).hash()), links).description())
                .isEqualTo("the legacy boundary was marked at another entry");
        // a boundary beyond the chain: the legacy entries up to it are missing
        assertThat(walk(keys, new AuditChain.Boundary(9, AuditChain.GENESIS), chain(keys, 3))).isEqualTo(
                new AuditChain.Problem(4, "entry 4 is missing"));
        // an unkeyed entry after a keyed one, even below a boundary moved forward
        List<AuditChain.Link> mixed = chain(keys, 0, "a1");
        AuditChain.Link keyed = mixed.get(0);
        String hash = AuditChain.legacyHash(keyed.hash(), 2, AT, "x", "y", null, "{}");
        mixed.add(new AuditChain.Link(2, AT, "x", "y", null, "{}", null, keyed.hash(), hash));
        assertThat(walk(keys, new AuditChain.Boundary(2, hash), mixed).seq()).isEqualTo(2);
    }

    @Test
    void aRewrittenLegacyEntryIsCaughtAtTheFirstKeyedEntry() {
        AuditKeys keys = new AuditKeys("a1", K1, List.of());
        List<AuditChain.Link> links = chain(keys, 3, "a1");
        // entry 2 rewritten, 2 and 3 rehashed by the legacy rule: the keyed entry 4 still links to the old hash of 3
        List<AuditChain.Link> forged = new ArrayList<>(links.subList(0, 1));
        String previous = links.get(0).hash();
        for (AuditChain.Link l : links.subList(1, 3)) {
            String details = l.seq() == 2 ? "{\"n\":99}" : l.details();
            String hash = AuditChain.legacyHash(previous, l.seq(), l.at(), l.actor(), l.action(), l.subjectId(), details);
            forged.add(new AuditChain.Link(l.seq(), l.at(), l.actor(), l.action(), l.subjectId(), details, null, previous, hash));
            previous = hash;
        }
        forged.add(links.get(3));
        assertThat(walk(keys, new AuditChain.Boundary(3, previous), forged))
                .isEqualTo(new AuditChain.Problem(4, "the link to the previous entry is broken"));
    }

    @Test
    void theHmacCoversEveryFieldAndTheKey() {
        AuditKeys keys = new AuditKeys("a1", K1, List.of("a0:" + K2));
        String base = AuditChain.keyedHash(keys, "a1", AuditChain.GENESIS, 1, AT, "a", "x", "s", "{}");
        assertThat(List.of(
                AuditChain.keyedHash(keys, "a0", AuditChain.GENESIS, 1, AT, "a", "x", "s", "{}"),
                AuditChain.keyedHash(keys, "a1", "1".repeat(64), 1, AT, "a", "x", "s", "{}"),
                AuditChain.keyedHash(keys, "a1", AuditChain.GENESIS, 2, AT, "a", "x", "s", "{}"),
                AuditChain.keyedHash(keys, "a1", AuditChain.GENESIS, 1, AT.plusNanos(1000), "a", "x", "s", "{}"),
                AuditChain.keyedHash(keys, "a1", AuditChain.GENESIS, 1, AT, "ax", "", "s", "{}"),
                AuditChain.keyedHash(keys, "a1", AuditChain.GENESIS, 1, AT, "a", "x", null, "{}"),
                AuditChain.keyedHash(keys, "a1", AuditChain.GENESIS, 1, AT, "a", "x", "", "{}"),
                AuditChain.keyedHash(keys, "a1", AuditChain.GENESIS, 1, AT, "a", "x", "s", "{ }"),
                AuditChain.legacyHash(AuditChain.GENESIS, 1, AT, "a", "x", "s", "{}")))
                .doesNotContain(base).doesNotHaveDuplicates();
        assertThat(base).hasSize(64).isEqualTo(AuditChain.keyedHash(keys, "a1", AuditChain.GENESIS, 1, AT, "a", "x", "s", "{}"));
    }

    @Test
    void keysAreCheckedWhenTheServiceStarts() {
        assertThatThrownBy(() -> new AuditKeys("a1", Base64.getEncoder().encodeToString(new byte[31]), List.of()))
                .hasMessageContaining("at least 32");
        assertThatThrownBy(() -> new AuditKeys("a1", "not base64!", List.of())).hasMessageContaining("not base64");
        assertThatThrownBy(() -> new AuditKeys("a 1", K1, List.of())).hasMessageContaining("key id");
        assertThatThrownBy(() -> new AuditKeys("a1", K1, List.of(K2))).hasMessageContaining("id:base64");
    }
}
