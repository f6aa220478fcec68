package db.migration;

import io.sohbet.events.MessageIds;
import io.sohbet.kit.ClearMessageIds;
import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * WhatsApp message ids stored before they were hashed (a wamid is base64 around the customer's number), as the key of
 * {@code sent_message} and inside the event ids of {@code interaction} ({@code wa.inbound:<id>},
 * {@code wa.status:<id>:read:<epoch>}), become their keyed hashes, the values the events carry now: profiles keep every
 * interaction, a redelivered event is still recognised, and a read that arrives after the upgrade for a message sent
 * before it still finds the message's content kind. A Java migration because the key is in the service's
 * configuration, not in the database.
 */
public class V5__hash_message_ids extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        rewrite(context.getConnection());
    }

    /** The migration's work on a connection (tests run it on rows they made). */
    public static void rewrite(Connection connection) throws SQLException {
        MessageIds ids = MessageIds.withKey(ConfigProvider.getConfig().getValue("sohbet.segment.message-id-key", String.class));
        ClearMessageIds.rewrite(connection, "sent_message", "wamid", "text", Map.of("wamid", ids::of));
        ClearMessageIds.rewrite(connection, "interaction", "event_id", "text", Map.of("event_id", ids::inEventId));
    }
}
