package io.sohbet.webhook.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.sohbet.webhook.domain.CommerceReceipt;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class CommerceReceiptRepository implements PanacheRepositoryBase<CommerceReceipt, String> {
}
