package db.migration;

import io.sohbet.events.ShopIds;
import io.sohbet.kit.ClearMessageIds;
import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * Shop event ids stored before they were hashed become their keyed hashes ({@link ShopIds}), exactly the values
 * webhook-service stores now, so a shop's retry of an event accepted before the upgrade is still answered as a
 * duplicate. A Java migration because the key is in the service's configuration, not in the database.
 */
public class V2__hash_shop_ids extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        rewrite(context.getConnection());
    }

    /** The migration's work on a connection (tests run it on rows they made). */
    public static void rewrite(Connection connection) throws SQLException {
        ShopIds ids = ShopIds.withKey(ConfigProvider.getConfig().getValue("sohbet.webhook.message-id-key", String.class));
        ClearMessageIds.rewrite(connection, "commerce_receipt", "shop_event_id", "text", Map.of("shop_event_id", ids::of));
    }
}
