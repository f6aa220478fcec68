package io.sohbet.webhook.repository;

import io.smallrye.mutiny.Uni;
import io.sohbet.webhook.domain.CommerceReceipt;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.ZoneOffset;

/** The {@code commerce_receipt} table, through the reactive PostgreSQL client (one statement each, no ORM). */
@ApplicationScoped
public class CommerceReceiptRepository {

    private final Pool pool;

    public CommerceReceiptRepository(Pool pool) {
        this.pool = pool;
    }

    /** The receipt of that (hashed) shop event id, or null when there is none. */
    public Uni<CommerceReceipt> find(String shopEventId) {
        return pool.preparedQuery("SELECT shop_event_id, body_sha256, event_type, received_at FROM commerce_receipt WHERE shop_event_id = $1")
                .execute(Tuple.of(shopEventId))
                .map(rows -> rows.size() == 0 ? null : receipt(rows.iterator().next()));
    }

    /** Stores the receipt; true when it is new, false when a receipt with that id was there already (kept as it was). */
    public Uni<Boolean> store(CommerceReceipt receipt) {
        return pool.preparedQuery("INSERT INTO commerce_receipt (shop_event_id, body_sha256, event_type, received_at) VALUES ($1, $2, $3, $4) "
                + "ON CONFLICT (shop_event_id) DO NOTHING")
                .execute(Tuple.of(receipt.shopEventId(), receipt.bodySha256(), receipt.eventType(),
                        receipt.receivedAt().atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.rowCount() == 1);
    }

    private static CommerceReceipt receipt(Row row) {
        return new CommerceReceipt(row.getString("shop_event_id"), row.getString("body_sha256"), row.getString("event_type"),
                row.getOffsetDateTime("received_at").toInstant());
    }
}
