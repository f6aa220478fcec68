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
 * WhatsApp message ids stored before they were hashed (a wamid is base64 around the customer's number) become their
 * keyed hashes, exactly the values webhook- and campaign-service publish now. A Java migration because the key is in
 * the service's configuration, not in the database. Every row keeps its facts, so every past figure stays the same,
 * and statuses and replies that arrive after the upgrade for messages sent before it still find them.
 */
public class V6__hash_message_ids extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        rewrite(context.getConnection());
    }

    /** The migration's work on a connection (tests run it on rows they made). */
    public static void rewrite(Connection connection) throws SQLException {
        MessageIds ids = MessageIds.withKey(ConfigProvider.getConfig().getValue("sohbet.metrics.message-id-key", String.class));
        ClearMessageIds.rewrite(connection, "message_state", "wamid", "text", Map.of("wamid", ids::of));
        ClearMessageIds.rewrite(connection, "inbound_message", "wamid", "text", Map.of("wamid", ids::of, "context_wamid", ids::of));
        ClearMessageIds.rewrite(connection, "feedback", "wamid", "text", Map.of("wamid", ids::of));
    }
}
