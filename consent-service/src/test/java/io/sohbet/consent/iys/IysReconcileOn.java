package io.sohbet.consent.iys;

import io.sohbet.devstack.iys.IysSimulator;

import java.time.Duration;
import java.util.List;

/**
 * {@link IysOn} with İYS's own feed delay (the newest hour withheld, as İYS does): a citizen's rejection is not read back
 * during a test, so the ledger and İYS differ until reconciliation finds it.
 */
public class IysReconcileOn extends IysOn {

    public static class HeldFeed extends IysStandIn {
        @Override
        protected IysSimulator.Config config() {
            return IysSimulator.Config.unlimited().withFeedHold(Duration.ofHours(1));
        }
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(HeldFeed.class));
    }
}
