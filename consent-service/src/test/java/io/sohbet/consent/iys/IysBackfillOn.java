package io.sohbet.consent.iys;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link IysReconcileOn} (İYS's feed delay) with the backfill starting by itself, as in production, and the
 * reconciliation scheduled every 3 seconds instead of daily.
 */
public class IysBackfillOn extends IysOn {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> out = new HashMap<>(super.getConfigOverrides());
        out.put("sohbet.consent.iys.backfill-on-start", "true");
        out.put("sohbet.consent.iys.reconcile-interval", "3s");
        return out;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(IysReconcileOn.HeldFeed.class));
    }
}
