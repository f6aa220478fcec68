package io.sohbet.campaign.service;

import io.sohbet.campaign.config.CampaignConfig;
import io.sohbet.kit.privacy.SubjectData;
import io.sohbet.kit.privacy.SubjectTable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * What campaign-service holds on a subject, for the kit's erasure and export: their campaign history in the send
 * queue (with the hash of each message's wamid) and their entry in the messaging-tier window; an erasure deletes
 * both. No data keys are cached here, so an erasure does not wait.
 */
@ApplicationScoped
public class CampaignSubjectData {

    @Produces
    @Singleton
    SubjectData declared(CampaignConfig config) {
        return SubjectData.of(config.serviceName(),
                SubjectTable.deleted("send_queue", "wamid"),
                SubjectTable.deleted("recipient_window"));
    }
}
