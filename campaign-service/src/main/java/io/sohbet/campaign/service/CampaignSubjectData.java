package io.sohbet.campaign.service;

import io.sohbet.campaign.config.CampaignConfig;
import io.sohbet.kit.privacy.SubjectData;
import io.sohbet.kit.privacy.SubjectTable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * What campaign-service holds on a subject, for the kit's erasure and export: their campaign history in the send
 * queue (with the hash of each message's wamid and the time zone planning found), their entry in the messaging-tier
 * window and when they last wrote (the customer service window); an erasure deletes all three. The outbox is declared
 * for its {@code event_key} column only: it holds the retention job's destruction events, keyed by the service. The erasure answers of
 * the key vault are cached (the {@code wa.inbound} consumer drops late events about erased people), so an erasure
 * waits until no replica's cache can still take the person for not erased.
 */
@ApplicationScoped
public class CampaignSubjectData {

    @Produces
    @Singleton
    SubjectData declared(CampaignConfig config) {
        return SubjectData.of(config.serviceName(),
                SubjectTable.deleted("send_queue", "wamid"),
                SubjectTable.deleted("recipient_window"),
                SubjectTable.deleted("customer_window"),
                // the retention job's destruction events, keyed by the service's name: never a subject's
                SubjectTable.deleted("outbox").withSubjectIn("event_key")).cachingKeys();
    }
}
