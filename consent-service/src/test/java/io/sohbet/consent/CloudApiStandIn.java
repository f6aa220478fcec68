package io.sohbet.consent;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.sohbet.devstack.whatsapp.CloudApiSimulator;

import java.util.Map;

/**
 * devstack's WhatsApp Cloud API simulator, where consent-service sends its self-service answers in every test of this
 * module (no webhooks: the tests play the customer's messages on Kafka themselves).
 */
public class CloudApiStandIn implements QuarkusTestResourceLifecycleManager {

    private static volatile CloudApiSimulator simulator;

    /** The running simulator, to read what it was sent. */
    public static CloudApiSimulator simulator() {
        return simulator;
    }

    @Override
    public Map<String, String> start() {
        simulator = CloudApiSimulator.start(CloudApiSimulator.Config.local(null), 0);
        return Map.of("sohbet.consent.self-service.whatsapp.base-url", simulator.baseUrl().toString(),
                "sohbet.consent.self-service.whatsapp.phone-number-id", simulator.config().phoneNumberId(),
                "sohbet.consent.self-service.whatsapp.access-token", simulator.config().accessToken());
    }

    @Override
    public void stop() {
        if (simulator != null) {
            simulator.close();
        }
    }
}
