package io.sohbet.consent.iys;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.sohbet.devstack.iys.IysSimulator;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The İYS client against devstack's simulator: tokens, single and batch add, refusals. */
@QuarkusTest
@TestProfile(IysOn.class)
class IysClientTest {

    @Inject
    IysClient client;

    static String phone() {
        return "+90532" + ThreadLocalRandom.current().nextInt(1_000_000, 10_000_000);
    }

    static IysConsent onay(String recipient, Instant at) {
        return new IysConsent(recipient, "BIREYSEL", "MESAJ", "ONAY", "HS_WEB", IysConsent.date(at));
    }

    List<IysClient.BatchItem> completed(String requestId) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            List<IysClient.BatchItem> items = client.batchResult(requestId).await().atMost(Duration.ofSeconds(30));
            if (items.stream().allMatch(IysClient.BatchItem::done)) {
                return items;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the batch never completed");
    }

    @Test
    void aConsentOlderThanThreeBusinessDaysIsRefusedWithItsReason() throws Exception {
        Instant tenDaysAgo = Instant.now().minus(Duration.ofDays(10));
        assertThatThrownBy(() -> client.add(onay(phone(), tenDaysAgo)).await().atMost(Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(IysRefusedException.class, refused -> {
                    assertThat(refused.code()).isEqualTo("H920");
                    assertThat(refused.location()).isEqualTo("consentDate");
                    assertThat(refused.reason()).contains("3 business days");
                });

        String fresh = phone();
        List<IysClient.BatchItem> items = completed(client.addBatch(List.of(onay(phone(), tenDaysAgo),
                onay(fresh, Instant.now().minusSeconds(60)))).await().atMost(Duration.ofSeconds(30)));
        assertThat(items.get(0).status()).isEqualTo("failure");
        assertThat(items.get(0).reason()).startsWith("H920 consentDate").contains("3 business days");
        assertThat(items.get(1).status()).isEqualTo("success");
        assertThat(items.get(1).transactionId()).isEqualTo(IysStandIn.simulator().record(fresh, "MESAJ").transactionId());
    }

    @Test
    void anAccessTokenExpiringMidBatchIsRefreshedAndTheBatchCompletes() throws Exception {
        IysSimulator iys = IysStandIn.simulator();
        List<IysConsent> batch = IntStream.range(0, 3).mapToObj(i -> onay(phone(), Instant.now().minusSeconds(30))).toList();
        String requestId = client.addBatch(batch).await().atMost(Duration.ofSeconds(30));
        int passwords = iys.grants("password");
        int refreshes = iys.grants("refresh_token");
        int refused = iys.unauthorized();

        iys.expireAccessTokens();
        List<IysClient.BatchItem> items = completed(requestId);

        assertThat(items).hasSize(3).allSatisfy(item -> {
            assertThat(item.status()).isEqualTo("success");
            assertThat(item.transactionId()).isNotBlank();
        });
        assertThat(iys.unauthorized()).isGreaterThan(refused);
        assertThat(iys.grants("refresh_token")).isEqualTo(refreshes + 1);
        assertThat(iys.grants("password")).isEqualTo(passwords);
    }

    @Test
    void theDailyChangeFileListsTheBrandsAndTheCitizensChanges() {
        IysSimulator iys = IysStandIn.simulator();
        String recipient = phone();
        String granted = client.add(onay(recipient, Instant.now().minusSeconds(30))).await().atMost(Duration.ofSeconds(30));
        String rejected = iys.citizenRejects(recipient, "MESAJ");

        List<IysClient.Change> today = client.dailyChanges(java.time.LocalDate.now(IysConsent.ZONE))
                .await().atMost(Duration.ofSeconds(30));

        assertThat(today).filteredOn(c -> c.recipient().equals(recipient)).extracting(IysClient.Change::transactionId,
                IysClient.Change::status, IysClient.Change::source).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(granted, "ONAY", "HS_WEB"),
                        org.assertj.core.groups.Tuple.tuple(rejected, "RET", "IYS_WEB"));
        assertThat(client.dailyChanges(java.time.LocalDate.now(IysConsent.ZONE).minusDays(30))
                .await().atMost(Duration.ofSeconds(30))).isEmpty();
    }

    @Test
    void manyCallsNeedingANewTokenAtOnceShareOneRefresh() {
        IysSimulator iys = IysStandIn.simulator();
        String recipient = phone();
        client.add(onay(recipient, Instant.now().minusSeconds(30))).await().atMost(Duration.ofSeconds(30));
        int refreshes = iys.grants("refresh_token");

        iys.expireAccessTokens();
        List<Uni<java.util.Optional<IysClient.Status>>> calls = IntStream.range(0, 12)
                .mapToObj(i -> client.status(recipient, "BIREYSEL", "MESAJ")).toList();
        List<?> answers = Uni.join().all(calls).andFailFast().await().atMost(Duration.ofSeconds(30));

        assertThat(answers).hasSize(12).allSatisfy(a -> assertThat(a).isEqualTo(java.util.Optional.of(
                client.status(recipient, "BIREYSEL", "MESAJ").await().atMost(Duration.ofSeconds(10)).orElseThrow())));
        assertThat(iys.grants("refresh_token")).isEqualTo(refreshes + 1);
        assertThat(client.status(phone(), "BIREYSEL", "MESAJ").await().atMost(Duration.ofSeconds(10))).isEmpty();
    }
}
