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
 * memberships, their marketing and profiling consent as last heard ({@link ConsentStates}), and the membership events
 * about them still waiting to be published (the membership outbox's rows, and the outbox's keyed by the subject:
 * {@code event_key}, from the previous version); an erasure deletes them all, so no event about the person is published after it. Demographics
 * are opened with data keys cached here, so an erasure waits until no replica can hold the person's key. Not
 * declared: segment sizes (counts only).
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
                SubjectTable.deleted("segment_member"),
                SubjectTable.deleted("consent_state", "entry_id"),
                SubjectTable.deleted("membership_outbox"),
                SubjectTable.deleted("outbox").withSubjectIn("event_key")).cachingKeys();
    }
}
