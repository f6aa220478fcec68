package io.sohbet.campaign.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.sohbet.campaign.domain.ProcessedEvent;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ProcessedEventRepository implements PanacheRepositoryBase<ProcessedEvent, String> {
}
