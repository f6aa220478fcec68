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
 * Send-queue rows stored before message ids were hashed hold the wamid of their message in clear (base64 around the
 * recipient's number); they get its keyed hash, the value webhook-service gives the message's statuses, so statuses
 * that arrive after the upgrade for messages sent before it still update their rows. A Java migration because the
 * key is in the service's configuration, not in the database.
 */
public class V3__hash_message_ids extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        rewrite(context.getConnection());
    }

    /** The migration's work on a connection (tests run it on rows they made). */
    public static void rewrite(Connection connection) throws SQLException {
        MessageIds ids = MessageIds.withKey(ConfigProvider.getConfig().getValue("sohbet.campaign.message-id-key", String.class));
        ClearMessageIds.rewrite(connection, "send_queue", "id", "bigint", Map.of("wamid", ids::of));
    }
}
