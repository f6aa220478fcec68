package io.sohbet.consent.service;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.sohbet.events.FieldCipher;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.sohbet.consent.Fixtures.count;
import static io.sohbet.consent.Fixtures.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A rotation that finishes: after two rotations (A → B → C) the background re-wrap moves every data key to C, and a
 * vault that knows only C opens every subject's key. Each configuration is a replica's: its own {@link KeyVault} and
 * {@link DataKeyRewrap} over the one database.
 */
@QuarkusTest
class DataKeyRewrapTest {

    @Inject
    Pool pool;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    /** Master key ids of this run only, so the keys of other tests (and of the service's own k1) are never touched. */
    private final String run = Long.toHexString(System.nanoTime());
    private final String a = "A-" + run;
    private final String b = "B-" + run;
    private final String c = "C-" + run;
    private final Map<String, String> material = Map.of(a, newMaster(), b, newMaster(), c, newMaster());

    static String newMaster() {
        return Base64.getEncoder().encodeToString(FieldCipher.newKey());
    }

    String entry(String id) {
        return id + ":" + material.get(id);
    }

    MasterKeys keys(String active, List<String> previous, List<String> next) {
        return new MasterKeys(active, material.get(active), previous.stream().map(this::entry).toList(),
                next.stream().map(this::entry).toList());
    }

    static Set<String> subjects(String prefix, int n) {
        Set<String> out = new HashSet<>();
        for (int i = 0; i < n; i++) {
            out.add(prefix + UUID.randomUUID().toString().replace("-", ""));
        }
        return out;
    }

    Map<String, byte[]> create(KeyVault vault, Set<String> subjects) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> vault.getOrCreate(subjects));
    }

    Map<String, byte[]> open(KeyVault vault, Set<String> subjects) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> vault.find(subjects));
    }

    DataKeyRewrap.Run rewrap(DataKeyRewrap rewrap) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(rewrap::rewrapAll);
    }

    long keysUnder(String id) throws Throwable {
        return count(pool, "SELECT count(*) FROM subject_key WHERE master_key_id = $1", id);
    }

    @AfterEach
    void forgetTheRunsKeys() throws Throwable {
        sql(pool, "DELETE FROM subject_key WHERE master_key_id = ANY($1)", (Object) new String[] {a, b, c});
    }

    @Test
    void twoRotationsFinishAndTheOldMasterKeysCanGo() throws Throwable {
        Map<String, byte[]> dataKeys = new HashMap<>();
        // k = A
        Set<String> early = subjects("early", 40);
        dataKeys.putAll(create(new KeyVault(pool, keys(a, List.of(), List.of())), early));

        // step 1 of the rotation to B: every replica learns B as the next key; one that does re-wraps nothing to it
        MasterKeys announcingB = keys(a, List.of(), List.of(b));
        assertThat(rewrap(new DataKeyRewrap(pool, announcingB, 7, new SimpleMeterRegistry())).rewrapped()).isZero();

        // step 2: B is active, A previous. New keys are wrapped with B; the re-wrap runs a single batch before C comes
        KeyVault onB = new KeyVault(pool, keys(b, List.of(a), List.of()));
        Set<String> middle = subjects("middle", 15);
        dataKeys.putAll(create(onB, middle));
        assertThat(keysUnder(b)).isEqualTo(15);
        SimpleMeterRegistry onBMetrics = new SimpleMeterRegistry();
        DataKeyRewrap rewrapOnB = new DataKeyRewrap(pool, onB.masterKeys(), 7, onBMetrics);
        VertxContextSupport.subscribeAndAwait(() -> rewrapOnB.count());
        assertThat(onBMetrics.get("sohbet.consent.data.keys").tag("master_key_id", a).gauge().value()).isEqualTo(40);

        // C is announced, then made active while replicas still on B (which know C as next) keep running
        MasterKeys bWithNextC = keys(b, List.of(a), List.of(c));
        KeyVault onC = new KeyVault(pool, keys(c, List.of(a, b), List.of()));
        Set<String> late = subjects("late", 10);
        dataKeys.putAll(create(onC, late));

        // two replicas on C and one still on B re-wrap at the same time
        SimpleMeterRegistry onCMetrics = new SimpleMeterRegistry();
        DataKeyRewrap first = new DataKeyRewrap(pool, onC.masterKeys(), 7, onCMetrics);
        SimpleMeterRegistry secondMetrics = new SimpleMeterRegistry();
        DataKeyRewrap second = new DataKeyRewrap(pool, onC.masterKeys(), 7, secondMetrics);
        DataKeyRewrap stillOnB = new DataKeyRewrap(pool, bWithNextC, 7, new SimpleMeterRegistry());
        List<DataKeyRewrap.Run> runs = VertxContextSupport.subscribeAndAwait(() -> Uni.join()
                .all(first.rewrapAll(), second.rewrapAll(), stillOnB.rewrapAll()).andFailFast());
        // whatever the interleaving: the replica on B moved only A's keys to B, never C's back; the C replicas finish
        rewrap(first);
        assertThat(keysUnder(a)).isZero();
        assertThat(keysUnder(b)).isZero();
        assertThat(keysUnder(c)).isEqualTo(65);
        assertThat(runs.stream().mapToLong(DataKeyRewrap.Run::failed).sum()).isZero();
        assertThat(rewrap(first).rewrapped()).as("a run after the end changes nothing").isZero();

        // the gauge shows the progress, the counters what each replica did (the two on C shared B's keys between them)
        VertxContextSupport.subscribeAndAwait(() -> first.count());
        assertThat(onCMetrics.get("sohbet.consent.data.keys").tag("master_key_id", c).gauge().value()).isEqualTo(65);
        assertThat(onCMetrics.find("sohbet.consent.data.keys").tag("master_key_id", a).gauge()).isNull();
        assertThat(onCMetrics.get("sohbet.consent.data.keys.rewrapped").tag("from", b).counter().count()
                + secondMetrics.get("sohbet.consent.data.keys.rewrapped").tag("from", b).counter().count()).isGreaterThanOrEqualTo(15);

        // A and B are gone from the configuration: every subject's key still opens, and it is the same key
        KeyVault onlyC = new KeyVault(pool, keys(c, List.of(), List.of()));
        Set<String> everyone = new HashSet<>(dataKeys.keySet());
        Map<String, byte[]> opened = open(onlyC, everyone);
        assertThat(opened).hasSize(65);
        for (String subject : everyone) {
            assertThat(opened.get(subject)).as("data key of %s", subject).isEqualTo(dataKeys.get(subject));
        }
        // and a vault that knew only A no longer opens any of them
        assertThatThrownBy(() -> open(new KeyVault(pool, keys(a, List.of(), List.of())), early))
                .hasMessageContaining("not configured");
    }

    @Test
    void aKeyItsMasterKeyCannotOpenIsLeftAndCounted() throws Throwable {
        Set<String> subjects = subjects("broken", 3);
        create(new KeyVault(pool, keys(a, List.of(), List.of())), subjects);
        String broken = subjects.iterator().next();
        // a wrapped key damaged at rest (or wrapped by another key given the same id)
        sql(pool, "UPDATE subject_key SET wrapped_key = $1 WHERE subject_id = $2",
                FieldCipher.encrypt(FieldCipher.newKey(), broken, "x"), broken);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DataKeyRewrap.Run result = rewrap(new DataKeyRewrap(pool, keys(b, List.of(a), List.of()), 2, registry));
        assertThat(result.rewrapped()).isEqualTo(2);
        assertThat(result.failed()).isEqualTo(1);
        assertThat(keysUnder(a)).isEqualTo(1);
        assertThat(registry.get("sohbet.consent.data.keys.rewrap.failed").tag("from", a).counter().count()).isEqualTo(1);
    }

    @Test
    void theServicePublishesTheDataKeysPerMasterKey() throws Throwable {
        create(new KeyVault(pool, keys(a, List.of(), List.of())), subjects("gauge", 2));
        // the service counts every master key id it finds (counted each second in tests), configured or not
        String line = "sohbet_consent_data_keys{master_key_id=\"" + a + "\"} 2.0";
        long deadline = System.currentTimeMillis() + 15_000;
        String body = "";
        while (!body.contains(line) && System.currentTimeMillis() < deadline) {
            Thread.sleep(300);
            body = given().when().get(metrics).then().statusCode(200).extract().asString();
        }
        assertThat(body).contains(line);
    }

    @Test
    void aMasterKeyCannotBeBothPreviousAndNextNorTwoKeysUnderOneId() {
        assertThatThrownBy(() -> keys(c, List.of(a), List.of(a))).hasMessageContaining("both");
        assertThatThrownBy(() -> new MasterKeys(c, material.get(c), List.of(a + ":" + material.get(b)), List.of(entry(a))))
                .hasMessageContaining("different keys");
        assertThatThrownBy(() -> new MasterKeys("k 1", material.get(c), List.of(), List.of())).hasMessageContaining("id");
    }
}
