package io.sohbet.consent.iys;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.sohbet.devstack.iys.IysSimulator;

import java.util.HashMap;
import java.util.Map;

/** devstack's İYS simulator for the tests of {@link IysOn}, and the configuration that points the service at it. */
public class IysStandIn implements QuarkusTestResourceLifecycleManager {

    private static volatile IysSimulator simulator;

    /** The running simulator, to play citizens and read what it holds. */
    public static IysSimulator simulator() {
        return simulator;
    }

    @Override
    public Map<String, String> start() {
        simulator = IysSimulator.start(config(), 0);
        IysSimulator.Config config = simulator.config();
        Map<String, String> out = new HashMap<>();
        out.put("sohbet.consent.iys.base-url", simulator.baseUrl().toString());
        out.put("sohbet.consent.iys.username", config.username());
        out.put("sohbet.consent.iys.password", config.password());
        out.put("sohbet.consent.iys.iys-code", config.iysCode());
        out.put("sohbet.consent.iys.brand-code", config.brandCode());
        return out;
    }

    /** The simulator's rules and limits: the feed without delay and no call limits. */
    protected IysSimulator.Config config() {
        return IysSimulator.Config.unlimited();
    }

    @Override
    public void stop() {
        if (simulator != null) {
            simulator.close();
        }
    }
}
