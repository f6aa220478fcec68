package io.sohbet.consent.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The rules that link audit entries into a chain. An entry's hash covers its fields and the previous entry's hash:
 * <ul>
 * <li>a keyed entry ({@code key_id} set) has the HMAC-SHA256, under the audit key of that id, of the previous hash, its
 * sequence number, time, actor, action, subject id, details and key id. Only a holder of the key can write one, and the
 * key is not in the database;</li>
 * <li>a legacy entry ({@code key_id} null), written before migration V10, has the plain SHA-256 of the same fields but
 * the key id. Anyone could recompute those, so they are accepted only up to the boundary V10 marked (the newest entry
 * then), before any keyed entry; the first keyed entry covers the hash of the last legacy one, which pins them all.</li>
 * </ul>
 * {@link Walk} checks consecutive entries against these rules.
 */
public final class AuditChain {

    /** The hash before the first entry. */
    public static final String GENESIS = "0".repeat(64);

    private AuditChain() {
    }

    /** One stored entry, as a verification reads it. */
    public record Link(long seq, Instant at, String actor, String action, String subjectId, String details, String keyId,
            String prevHash, String hash) {
    }

    /** The boundary V10 marked: entries up to {@code lastSeq} (0 = none) are legacy, entry {@code lastSeq} has {@code lastHash}. */
    public record Boundary(long lastSeq, String lastHash) {
    }

    /** The first entry that does not fit, and why. */
    public record Problem(long seq, String description) {
    }

    /** The HMAC of a keyed entry. */
    public static String keyedHash(AuditKeys keys, String keyId, String prevHash, long seq, Instant at, String actor,
            String action, String subjectId, String details) {
        return keys.entryMac(keyId, Arrays.asList(prevHash, Long.toString(seq), micros(at), actor, action, subjectId,
                details, keyId));
    }

    /** The SHA-256 of a legacy entry (the rule before V10). */
    public static String legacyHash(String prevHash, long seq, Instant at, String actor, String action, String subjectId,
            String details) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String field : new String[] {prevHash, Long.toString(seq), micros(at), actor, action,
                    subjectId == null ? "" : subjectId, details}) {
                byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
                sha.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
                sha.update(bytes);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String micros(Instant at) {
        return at.truncatedTo(ChronoUnit.MICROS).toString();
    }

    /** Checks entries in sequence order, from a known point of the chain; stops at the first problem. */
    public static final class Walk {

        private final AuditKeys keys;
        private final Boundary boundary;
        private long lastSeq;
        private String head;
        private boolean keyedSeen;
        private long checked;
        private Link last;
        private Problem problem;

        /** A walk of the entries after {@code afterSeq}, whose hash is {@code afterHash} (0 and {@link #GENESIS}: all). */
        public Walk(AuditKeys keys, Boundary boundary, long afterSeq, String afterHash) {
            this.keys = keys;
            this.boundary = boundary;
            this.lastSeq = afterSeq;
            this.head = afterHash;
            this.keyedSeen = afterSeq > boundary.lastSeq();
        }

        /** Checks the next entry; false (and {@link #problem()}) once one does not fit. */
        public boolean accept(Link link) {
            if (problem != null) {
                return false;
            }
            long seq = link.seq();
            if (seq != lastSeq + 1) {
                return fail(lastSeq + 1, "entry " + (lastSeq + 1) + " is missing");
            }
            if (!head.equals(link.prevHash())) {
                return fail(seq, "the link to the previous entry is broken");
            }
            String recomputed;
            if (link.keyId() == null) {
                if (seq > boundary.lastSeq() || keyedSeen) {
                    return fail(seq, "the entry is not keyed, and only entries up to the legacy boundary ("
                            + boundary.lastSeq() + ") may be");
                }
                recomputed = legacyHash(head, seq, link.at(), link.actor(), link.action(), link.subjectId(), link.details());
            } else {
                if (!keys.knows(link.keyId())) {
                    return fail(seq, "the entry's key " + link.keyId() + " is not configured");
                }
                keyedSeen = true;
                recomputed = keyedHash(keys, link.keyId(), head, seq, link.at(), link.actor(), link.action(),
                        link.subjectId(), link.details());
            }
            if (!recomputed.equals(link.hash())) {
                return fail(seq, "the entry was changed after it was written");
            }
            if (seq == boundary.lastSeq() && !recomputed.equals(boundary.lastHash())) {
                return fail(seq, "the legacy boundary was marked at another entry");
            }
            head = recomputed;
            lastSeq = seq;
            last = link;
            checked++;
            return true;
        }

        /** Call after the last entry: entries up to the boundary must all be there. */
        public Problem finish() {
            if (problem == null && lastSeq < boundary.lastSeq()) {
                fail(lastSeq + 1, "entry " + (lastSeq + 1) + " is missing");
            }
            return problem;
        }

        /** Stops the walk with a problem found outside it (an entry it was to start after no longer fits). */
        public void reject(long seq, String description) {
            if (problem == null) {
                fail(seq, description);
            }
        }

        private boolean fail(long seq, String description) {
            problem = new Problem(seq, description);
            return false;
        }

        public Problem problem() {
            return problem;
        }

        /** The sequence number of the last entry that fitted. */
        public long lastSeq() {
            return lastSeq;
        }

        /** The hash of the last entry that fitted. */
        public String head() {
            return head;
        }

        public long checked() {
            return checked;
        }

        public Boundary boundary() {
            return boundary;
        }

        /** The last entry that fitted; null when none did. */
        public Link last() {
            return last;
        }
    }
}
