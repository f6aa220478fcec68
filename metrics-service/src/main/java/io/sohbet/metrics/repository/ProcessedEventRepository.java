package io.sohbet.metrics.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.sohbet.metrics.domain.ProcessedEvent;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ProcessedEventRepository implements PanacheRepositoryBase<ProcessedEvent, String> {
}
