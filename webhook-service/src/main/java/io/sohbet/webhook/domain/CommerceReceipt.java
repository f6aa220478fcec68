package io.sohbet.webhook.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A shop webhook that was accepted and published, kept so that the shop's retries are idempotent. */
@Entity
@Table(name = "commerce_receipt")
public class CommerceReceipt extends PanacheEntityBase {

    @Id
    @Column(name = "shop_event_id")
    public String shopEventId;

    @Column(name = "body_sha256", nullable = false)
    public String bodySha256;

    @Column(name = "event_type", nullable = false)
    public String eventType;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    public static CommerceReceipt of(String shopEventId, String bodySha256, String eventType, Instant receivedAt) {
        CommerceReceipt receipt = new CommerceReceipt();
        receipt.shopEventId = shopEventId;
        receipt.bodySha256 = bodySha256;
        receipt.eventType = eventType;
        receipt.receivedAt = receivedAt;
        return receipt;
    }
}
