package io.sohbet.metrics.service;

import io.sohbet.kit.privacy.SubjectData;
import io.sohbet.kit.privacy.SubjectTable;
import io.sohbet.metrics.config.MetricsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * What metrics-service holds on a subject, for the kit's erasure and export: every fact its metrics are computed
 * from, with the ids that could link a row back to the person (message-id hashes, event ids, order ids). An erasure
 * must not change past metrics, so every table is left to the fold step ({@link ErasureFolding}): it freezes what the
 * person's rows contribute to the figures, replaces the subject and every linkable id, and deletes what no figure
 * needs any more. Reply
 * texts are opened with data keys cached here, so an erasure waits until no replica can hold the person's key.
 * Not declared: {@code feedback_keyword} (keyword stems by hash, about no one). The outbox is declared for its
 * {@code event_key} column only: it holds the retention job's destruction events, keyed by the service, about no one.
 */
@ApplicationScoped
public class MetricsSubjectData {

    @Produces
    @Singleton
    SubjectData declared(MetricsConfig config, ErasureFolding folding) {
        return SubjectData.of(config.serviceName(),
                SubjectTable.folded("message_state", "wamid"),
                SubjectTable.folded("link_click", "event_id"),
                SubjectTable.folded("inbound_message", "wamid", "context_wamid"),
                SubjectTable.folded("shop_order", "order_id"),
                SubjectTable.folded("opt_out", "event_id"),
                SubjectTable.folded("segment_membership"),
                SubjectTable.folded("conversation_resolution"),
                SubjectTable.folded("feedback", "wamid"),
                // the retention job's destruction events, keyed by the service's name: never a subject's
                SubjectTable.deleted("outbox").withSubjectIn("event_key")).cachingKeys().foldedBy(folding::fold);
    }
}
