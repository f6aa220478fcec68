package io.sohbet.segment.service;

import io.sohbet.kit.privacy.SubjectData;
import io.sohbet.kit.privacy.SubjectTable;
import io.sohbet.segment.config.SegmentConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * What segment-service holds on a subject, for the kit's erasure and export: the profile (with the demographics
 * opened from the shop's events), the interactions, sent messages and orders it is computed from, and segment
 * memberships; an erasure deletes them all. Demographics are opened with data keys cached here, so an erasure waits
 * until no replica can hold the person's key. Not declared: the outbox (its rows about the person go out and are
 * deleted by the relay) and segment sizes (counts only).
 */
@ApplicationScoped
public class SegmentSubjectData {

    @Produces
    @Singleton
    SubjectData declared(SegmentConfig config) {
        return SubjectData.of(config.serviceName(),
                SubjectTable.deleted("profile"),
                SubjectTable.deleted("interaction", "event_id"),
                SubjectTable.deleted("sent_message", "wamid"),
                SubjectTable.deleted("shop_order", "order_id"),
                SubjectTable.deleted("segment_member")).cachingKeys();
    }
}
