package io.sohbet.webhook.service;

import io.sohbet.kit.keys.SubjectKeys.ErasureInfo;
import org.junit.jupiter.api.Test;

import io.sohbet.events.LinkTokens;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class LinkClicksTest {

    private static final Instant ERASED_AT = Instant.parse("2026-11-21T00:00:00Z");
    private static final ErasureInfo NEVER_ERASED = new ErasureInfo(Optional.empty(), true);
    private static final ErasureInfo ERASED = new ErasureInfo(Optional.of(ERASED_AT), false);
    private static final ErasureInfo BACK = new ErasureInfo(Optional.of(ERASED_AT), true);

    @Test
    void aClickCountsOnlyOnALinkIssuedAfterTheLatestErasure() {
        Optional<Instant> before = Optional.of(ERASED_AT.minusSeconds(1));
        Optional<Instant> after = Optional.of(ERASED_AT.plusSeconds(1));
        assertThat(LinkClicks.erasedSinceIssued(NEVER_ERASED, before)).isFalse();
        assertThat(LinkClicks.erasedSinceIssued(ERASED, after)).as("erased, not back").isTrue();
        assertThat(LinkClicks.erasedSinceIssued(BACK, before)).as("back, an old link").isTrue();
        assertThat(LinkClicks.erasedSinceIssued(BACK, Optional.of(ERASED_AT))).as("issued at the erasure").isTrue();
        assertThat(LinkClicks.erasedSinceIssued(BACK, after)).as("back, a link sent since").isFalse();
        assertThat(LinkClicks.erasedSinceIssued(BACK, Optional.empty())).as("format 1: issued when, unknown").isTrue();
        assertThat(LinkClicks.erasedSinceIssued(NEVER_ERASED, Optional.empty())).isFalse();
        assertThat(LinkClicks.erasedSinceIssued(null, after)).as("nothing known of the subject").isTrue();
    }

    @Test
    void aClickHasTheSameIdOnEveryReplicaWithinAWindowAndAnotherInTheNext() {
        Duration window = Duration.ofMinutes(10);
        LinkTokens.Link link = new LinkTokens.Link("c-1", "A", "subject-1", "cta", "https://shop.example/");
        Instant start = Instant.parse("2026-11-30T10:00:00Z");
        String first = LinkClicks.eventId(link, start, window);
        assertThat(LinkClicks.eventId(link, start.plus(Duration.ofMinutes(9)), window)).as("same window").isEqualTo(first);
        assertThat(LinkClicks.eventId(link, start.plus(window), window)).as("next window").isNotEqualTo(first);
        assertThat(LinkClicks.eventId(new LinkTokens.Link("c-1", "A", "subject-2", "cta", "https://shop.example/"), start,
                window)).as("another person").isNotEqualTo(first);
        assertThat(LinkClicks.eventId(new LinkTokens.Link("c-1", "B", "subject-1", "cta", "https://shop.example/"), start,
                window)).as("another variant").isNotEqualTo(first);
        assertThat(first).startsWith("link.click:").doesNotContain("subject-1");
    }
}
