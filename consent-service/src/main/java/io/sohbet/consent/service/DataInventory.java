package io.sohbet.consent.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The suite's data inventory: every table and column of every service's database that holds personal or
 * pseudonymous data, with its VERBİS category, purpose, legal basis, retention, recipients and transfer abroad. Each
 * service declares its own next to its migrations ({@code db/data-inventory.json}, kept true to its schema by its
 * {@code DataInventoryTest}); the build packages the other services' files into this service
 * ({@code data-inventory/<service>/data-inventory.json}), read once at startup: a missing or unreadable one stops it.
 */
@ApplicationScoped
public class DataInventory {

    /** The services whose declarations are packaged, and where. */
    static final Map<String, String> SOURCES = Map.of(
            "consent-service", "db/data-inventory.json",
            "webhook-service", "data-inventory/webhook-service/data-inventory.json",
            "metrics-service", "data-inventory/metrics-service/data-inventory.json",
            "segment-service", "data-inventory/segment-service/data-inventory.json",
            "campaign-service", "data-inventory/campaign-service/data-inventory.json");
    static final List<String> ORDER = List.of("webhook-service", "consent-service", "metrics-service", "segment-service",
            "campaign-service");

    /** One column holding personal or pseudonymous data, with what its table declares unless the column overrides it. */
    public record Entry(String service, String table, String column, String category, String description,
            String purpose, String legalBasis, String retention, List<String> recipients, boolean transferAbroad,
            String dataSubjects) {
    }

    private final List<Entry> entries;

    public DataInventory() {
        ObjectMapper json = new ObjectMapper();
        List<Entry> all = new ArrayList<>();
        for (String service : ORDER) {
            String path = SOURCES.get(service);
            try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalStateException("the data inventory of " + service + " (" + path + ") is not packaged");
                }
                all.addAll(entries(service, json.readTree(in)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the data inventory of " + service, e);
            }
        }
        this.entries = List.copyOf(all);
    }

    /** Every declared column, by service (in the order data flows), table and column. */
    public List<Entry> entries() {
        return entries;
    }

    static List<Entry> entries(String service, JsonNode inventory) {
        List<Entry> out = new ArrayList<>();
        String subjects = inventory.path("dataSubjects").asText("");
        inventory.path("tables").fields().forEachRemaining(table -> table.getValue().path("columns").fields()
                .forEachRemaining(column -> {
                    JsonNode t = table.getValue();
                    JsonNode c = column.getValue();
                    List<String> recipients = new ArrayList<>();
                    (c.has("recipients") ? c.get("recipients") : t.path("recipients")).forEach(r -> recipients.add(r.asText()));
                    out.add(new Entry(service, table.getKey(), column.getKey(), text(c, t, "category"),
                            c.path("description").asText(""), text(c, t, "purpose"), text(c, t, "legalBasis"),
                            text(c, t, "retention"), List.copyOf(recipients),
                            (c.has("transferAbroad") ? c.get("transferAbroad") : t.path("transferAbroad")).asBoolean(false),
                            c.has("dataSubjects") ? c.get("dataSubjects").asText() : t.path("dataSubjects").asText(subjects)));
                }));
        return out;
    }

    private static String text(JsonNode column, JsonNode table, String field) {
        return (column.has(field) ? column.get(field) : table.path(field)).asText("");
    }
}
