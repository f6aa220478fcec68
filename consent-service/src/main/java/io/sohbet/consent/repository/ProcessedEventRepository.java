package io.sohbet.consent.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.sohbet.consent.domain.ProcessedEvent;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ProcessedEventRepository implements PanacheRepositoryBase<ProcessedEvent, String> {
}
