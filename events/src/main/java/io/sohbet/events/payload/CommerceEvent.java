package io.sohbet.events.payload;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A shop event ({@code commerce.event}): order.created, order.paid, order.cancelled, cart.updated, cart.abandoned,
 * customer.upserted. Personal fields of the customer are encrypted with the subject's key.
 */
public record CommerceEvent(String shopEventId, String eventType, Instant occurredAt, String orderId, String cartId,
        BigDecimal total, String currency, List<Item> items, Customer customer) {

    public record Item(String sku, String category, int quantity, BigDecimal unitPrice) {
    }

    /**
     * @param phone      encrypted
     * @param email      encrypted
     * @param name       encrypted
     * @param gender     encrypted
     * @param birthYear  encrypted
     * @param city       encrypted
     * @param consents   purpose → granted, as collected by the shop
     */
    public record Customer(String phone, String email, String name, String gender, String birthYear, String city,
            Map<String, Boolean> consents) {
    }
}
