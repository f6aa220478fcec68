package io.sohbet.webhook.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many clicks each source (client address) has recorded in its current period, in memory only: the address is
 * kept as a keyed hash whose key is drawn at start and never leaves the process, for at most {@code size} sources
 * (the least recently seen are forgotten first), each for one period after its first click.
 */
final class ClickSources {

    private final int perPeriod;
    private final Cache<String, AtomicInteger> counts;
    private final SecretKeySpec key;

    ClickSources(int perPeriod, Duration period, long size) {
        this.perPeriod = perPeriod;
        this.counts = Caffeine.newBuilder().maximumSize(size).expireAfterWrite(period).build();
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        this.key = new SecretKeySpec(random, "HmacSHA256");
    }

    /** Takes one click from the source's budget; false when it has none left this period. */
    boolean take(String source) {
        return counts.get(hash(source), s -> new AtomicInteger()).incrementAndGet() <= perPeriod;
    }

    /** Gives back a click taken by {@link #take} that was not recorded after all. */
    void giveBack(String source) {
        AtomicInteger count = counts.getIfPresent(hash(source));
        if (count != null) {
            count.decrementAndGet();
        }
    }

    private String hash(String source) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] digest = mac.doFinal(source.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }
}
