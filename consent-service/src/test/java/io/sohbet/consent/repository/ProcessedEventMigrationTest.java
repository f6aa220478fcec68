package io.sohbet.consent.repository;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V8 deletes the dedupe records whose event id holds a WhatsApp message id in clear (this service has no key to hash
 * them) and keeps every other one.
 */
@QuarkusTest
class ProcessedEventMigrationTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void recordsWithAClearMessageIdGoTheOthersStay() throws Exception {
        String run = UUID.randomUUID().toString();
        List<String> before = List.of("wa.inbound:wamid.HBgMOTA1MzIxMjM0NTY3FQIAERgS" + run, "wa.inbound:gBGGFlA5Fpaf" + run,
                "wa.inbound:mid_RJizeRFVVSEgG7GjM6WckBp1" + run, "wa.preference:s" + run + ":marketing_messages:stop:1795400000",
                "erasure:" + run);
        try (Connection c = dataSource.getConnection()) {
            for (String id : before) {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO processed_event (event_id, processed_at) VALUES (?, now())")) {
                    s.setString(1, id);
                    s.executeUpdate();
                }
            }
            try (InputStream sql = getClass().getResourceAsStream("/db/migration/V8__processed_events_without_clear_message_ids.sql");
                    Statement s = c.createStatement()) {
                s.execute(new String(sql.readAllBytes(), StandardCharsets.UTF_8));
            }
            List<String> after = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT event_id FROM processed_event WHERE event_id LIKE ?")) {
                s.setString(1, "%" + run + "%");
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        after.add(r.getString(1));
                    }
                }
            }
            assertThat(after).containsExactlyInAnyOrder(before.get(2), before.get(3), before.get(4));
        }
    }
}
