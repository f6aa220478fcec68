package io.sohbet.webhook.service;

import io.sohbet.kit.privacy.SubjectData;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * webhook-service keeps no data about subjects in its database (it publishes what it receives and keeps only shop
 * event ids), so the kit's erasure has no table to erase: it drops the subject's data key from this replica's cache
 * at once and acknowledges once no replica can still hold it, so nothing is sealed with the destroyed key afterwards.
 */
@ApplicationScoped
public class WebhookSubjectData {

    static final String SERVICE = "webhook-service";

    @Produces
    @Singleton
    SubjectData declared() {
        return SubjectData.of(SERVICE).cachingKeys();
    }
}
