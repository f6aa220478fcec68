package io.sohbet.consent.iys;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;

/** İYS on for WhatsApp (as MESAJ, enforced), against devstack's simulator, with short intervals. */
public class IysOn implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        // the backfill runs only where a test starts it: the ledger these tests share was not made with İYS off
        return Map.of("sohbet.consent.iys.backfill-on-start", "false",
                "sohbet.consent.iys.channels.whatsapp.type", "MESAJ",
                "sohbet.consent.iys.channels.whatsapp.enforce", "true",
                "sohbet.consent.iys.sync-interval", "1s",
                "sohbet.consent.iys.poll-interval", "1s",
                "sohbet.consent.iys.limits.batch", "120",
                "sohbet.consent.iys.retry-for", "2s",
                "sohbet.consent.iys.retry-backoff", "1s");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(IysStandIn.class));
    }
}
