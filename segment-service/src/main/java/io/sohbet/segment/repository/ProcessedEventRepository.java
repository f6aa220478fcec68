package io.sohbet.segment.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.sohbet.segment.domain.ProcessedEvent;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ProcessedEventRepository implements PanacheRepositoryBase<ProcessedEvent, String> {
}
