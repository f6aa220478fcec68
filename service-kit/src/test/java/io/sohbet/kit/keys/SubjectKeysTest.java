package io.sohbet.kit.keys;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.sohbet.kit.ServiceTokens;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubjectKeysTest {

    private static final Instant ERASED = Instant.parse("2026-11-20T10:00:00Z");
    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    /** A vault that refuses "gone" (erased, no key), gives "back" (erased, came back) and "never" their keys. */
    static final class Vault implements SubjectKeyApi {

        final List<KeyRequest> creating = new ArrayList<>();
        /** How long the vault takes to answer. */
        Duration delay = Duration.ZERO;

        /** What the next calls fail with, in order, before the vault answers again. */
        final java.util.Deque<RuntimeException> failures = new java.util.ArrayDeque<>();

        @Override
        public Uni<KeyBatch> getOrCreate(String bearer, KeyRequest request) {
            creating.add(request);
            if (!failures.isEmpty()) {
                return Uni.createFrom().failure(failures.poll());
            }
            Map<String, String> keys = new HashMap<>();
            Map<String, Instant> erased = new HashMap<>();
            for (String subject : request.subjectIds()) {
                if (!subject.equals("gone")) {
                    keys.put(subject, KEY);
                }
                if (!subject.equals("never")) {
                    erased.put(subject, ERASED);
                }
            }
            Uni<KeyBatch> answer = Uni.createFrom().item(new KeyBatch(keys, erased));
            return delay.isZero() ? answer : answer.onItem().delayIt().by(delay);
        }

        /** Calls of find, which returns keys. */
        int finds;
        /** Calls of the erasure check, which does not. */
        int erasureChecks;

        @Override
        public Uni<ErasureBatch> erasures(String bearer, KeyRequest request) {
            erasureChecks++;
            if (!failures.isEmpty()) {
                return Uni.createFrom().failure(failures.poll());
            }
            Map<String, Instant> erased = new HashMap<>();
            request.subjectIds().stream().filter("gone"::equals).forEach(subject -> erased.put(subject, ERASED));
            Set<String> keyed = new java.util.HashSet<>(request.subjectIds());
            keyed.remove("gone");
            Uni<ErasureBatch> answer = Uni.createFrom().item(new ErasureBatch(keyed, erased));
            return delay.isZero() ? answer : answer.onItem().delayIt().by(delay);
        }

        @Override
        public Uni<KeyBatch> find(String bearer, KeyRequest request) {
            finds++;
            if (!failures.isEmpty()) {
                return Uni.createFrom().failure(failures.poll());
            }
            Map<String, Instant> erased = new HashMap<>();
            request.subjectIds().stream().filter("gone"::equals).forEach(subject -> erased.put(subject, ERASED));
            Uni<KeyBatch> answer = Uni.createFrom().item(new KeyBatch(Map.of(), erased));
            return delay.isZero() ? answer : answer.onItem().delayIt().by(delay);
        }
    }

    private final Vault vault = new Vault();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SubjectKeys keys = new SubjectKeys(vault, new ServiceTokens(null, false), registry, 100, Duration.ofMinutes(1));

    private double retries(String reason) {
        return registry.counter("sohbet.subject-keys.retries", "reason", reason).count();
    }

    private SubjectKeys.Grant getOrCreate(Map<String, Instant> happenedAt) {
        return keys.getOrCreate(happenedAt).await().indefinitely();
    }

    @Test
    void theVaultHearsWhenEachSubjectsDataHappenedAndAbsurdTimesAreSentAsTheirBounds() {
        Map<String, Instant> happenedAt = new HashMap<>();
        happenedAt.put("never", Instant.EPOCH);
        happenedAt.put("back", Instant.now().plus(Duration.ofDays(400)));
        happenedAt.put("gone", ERASED.minusSeconds(60));
        happenedAt.put("untimed", null);
        getOrCreate(happenedAt);
        Map<String, Instant> sent = vault.creating.get(0).happenedAt();
        assertThat(vault.creating.get(0).subjectIds()).containsExactlyInAnyOrder("never", "back", "gone", "untimed");
        assertThat(sent).containsOnlyKeys("never", "back", "gone");
        assertThat(sent.get("never")).isEqualTo(SubjectKeys.EARLIEST);
        assertThat(sent.get("back")).isBeforeOrEqualTo(Instant.now());
        assertThat(sent.get("gone")).isEqualTo(ERASED.minusSeconds(60));
    }

    @Test
    void theAnswerSaysWhichEventsAreAboutErasedPeople() {
        SubjectKeys.Grant grant = getOrCreate(Map.of("never", ERASED, "back", ERASED.plusSeconds(5), "gone", ERASED));
        assertThat(grant.keys()).containsOnlyKeys("never", "back");
        assertThat(grant.erased("gone", ERASED.plusSeconds(3600))).as("refused: all of its events").isTrue();
        assertThat(grant.erased("back", ERASED)).as("from before the erasure of one who came back").isTrue();
        assertThat(grant.erased("back", ERASED.plusSeconds(5))).isFalse();
        assertThat(grant.erased("never", ERASED)).isFalse();
        assertThat(grant.erased(null, ERASED)).as("account events").isFalse();
    }

    @Test
    void cachedKeysKeepWhatTheVaultSaidAboutErasureButARefusedSubjectIsAskedAgain() {
        getOrCreate(Map.of("back", ERASED.plusSeconds(5), "gone", ERASED));
        SubjectKeys.Grant again = getOrCreate(Map.of("back", ERASED.minusSeconds(5), "gone", ERASED.plusSeconds(5)));
        assertThat(vault.creating).hasSize(2);
        assertThat(vault.creating.get(1).subjectIds()).as("asked the second time").containsExactly("gone");
        assertThat(again.erased("back", ERASED.minusSeconds(5))).as("from the cache").isTrue();
        assertThat(Set.copyOf(again.keys().keySet())).containsExactly("back");
    }

    @Test
    void aSlowAnswerIsUsedButNotCachedSoNoEntryOutlivesTheErasureWait() {
        vault.delay = SubjectKeys.MAX_CACHED_ANSWER_AGE.plusMillis(300);
        assertThat(getOrCreate(Map.of("never", ERASED)).keys()).containsKey("never");
        vault.delay = Duration.ZERO;
        getOrCreate(Map.of("never", ERASED));
        assertThat(vault.creating).as("asked again: the slow answer was not cached").hasSize(2);
        getOrCreate(Map.of("never", ERASED));
        assertThat(vault.creating).as("the quick answer was cached").hasSize(2);
    }

    @Test
    void aSlowAnswerStillSaysWhoIsErased() {
        vault.delay = SubjectKeys.MAX_CACHED_ANSWER_AGE.plusMillis(300);
        Map<String, SubjectKeys.ErasureInfo> erasures = keys.erasures(Set.of("gone")).await().indefinitely();
        assertThat(erasures).containsKey("gone");
        assertThat(ErasedSubjects.erased(erasures.get("gone"), Instant.now())).as("an erased person without a key").isTrue();
    }

    /**
     * An erasure check asks the vault's erasure endpoint, never find: campaign-service checks erasures and must hold no
     * data key. The quick answer is cached like a key's.
     */
    @Test
    void erasureChecksFetchNoKeyAndAreCached() {
        Map<String, SubjectKeys.ErasureInfo> first = keys.erasures(Set.of("gone", "never")).await().indefinitely();
        assertThat(vault.finds).as("no key fetched").isZero();
        assertThat(vault.erasureChecks).isEqualTo(1);
        assertThat(first.get("gone").hasKey()).isFalse();
        assertThat(first.get("gone").erasedAt()).contains(ERASED);
        assertThat(first.get("never").hasKey()).isTrue();
        assertThat(first.get("never").erasedAt()).isEmpty();
        keys.erasures(Set.of("gone", "never")).await().indefinitely();
        assertThat(vault.erasureChecks).as("the second check from the cache").isEqualTo(1);
    }

    /** A vault that paused longer than the read timeout once (the e2e fuzz test's stall) still answers the request. */
    @Test
    void aCallThatTimedOutIsMadeOnceMore() {
        vault.failures.add(new jakarta.ws.rs.ProcessingException(new java.util.concurrent.TimeoutException("read timeout")));
        assertThat(getOrCreate(Map.of("never", ERASED)).keys()).containsKey("never");
        assertThat(vault.creating).hasSize(2);
        assertThat(retries("TimeoutException")).as("counted by the failure's class").isEqualTo(1);
        // what the REST client throws for a 503: a plain WebApplicationException with the answer
        vault.failures.add(new jakarta.ws.rs.WebApplicationException(jakarta.ws.rs.core.Response.status(503).build()));
        assertThat(keys.erasures(Set.of("gone")).await().indefinitely()).containsKey("gone");
        assertThat(vault.erasureChecks).isEqualTo(2);
        assertThat(retries("http-503")).as("an answer counted by its status").isEqualTo(1);
    }

    @Test
    void onlyOnceMoreAndNeverAfterARefusalOrAnError() {
        vault.failures.add(new jakarta.ws.rs.ProcessingException(new java.net.ConnectException("Connection refused")));
        jakarta.ws.rs.ProcessingException second = new jakarta.ws.rs.ProcessingException(new java.net.ConnectException("Connection refused"));
        vault.failures.add(second);
        assertThatThrownBy(() -> getOrCreate(Map.of("never", ERASED))).as("the second call's failure, as it is").isSameAs(second);
        assertThat(vault.creating).as("the call and one more").hasSize(2);
        assertThat(retries("ConnectException")).as("one call made again").isEqualTo(1);
        vault.failures.add(new jakarta.ws.rs.ForbiddenException());
        assertThatThrownBy(() -> getOrCreate(Map.of("back", ERASED))).isInstanceOf(jakarta.ws.rs.ForbiddenException.class);
        assertThat(vault.creating).as("a refusal is not asked again").hasSize(3);
        vault.failures.add(new jakarta.ws.rs.InternalServerErrorException());
        assertThatThrownBy(() -> getOrCreate(Map.of("back", ERASED))).isInstanceOf(jakarta.ws.rs.InternalServerErrorException.class);
        assertThat(vault.creating).as("nor an error of the vault's").hasSize(4);
        assertThat(registry.find("sohbet.subject-keys.retries").counters()).as("only the connection's").hasSize(1);
    }

    /** Readers' finds are made once more too, and the answer of the call that answered is cached. */
    @Test
    void aFindThatTimedOutIsMadeOnceMoreAndItsQuickAnswerCached() {
        vault.failures.add(new jakarta.ws.rs.ProcessingException(new java.util.concurrent.TimeoutException("read timeout")));
        keys.find(Set.of("gone")).await().indefinitely();
        assertThat(vault.finds).isEqualTo(2);
        assertThat(keys.erasures(Set.of("gone")).await().indefinitely().get("gone").hasKey()).isFalse();
        assertThat(vault.erasureChecks).as("known from the find's answer").isZero();
    }
}
