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
 * Shop order ids stored before they were hashed (an order id points at the customer in the shop's database) become
 * their keyed hashes ({@link ShopIds}), exactly the values webhook-service publishes now, so a cancellation that
 * arrives after the upgrade still finds its order. Every row keeps its facts, so every figure stays the same. A Java
 * migration because the key is in the service's configuration, not in the database.
 */
public class V8__hash_shop_ids extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        rewrite(context.getConnection());
    }

    /** The migration's work on a connection (tests run it on rows they made). */
    public static void rewrite(Connection connection) throws SQLException {
        ShopIds ids = ShopIds.withKey(ConfigProvider.getConfig().getValue("sohbet.metrics.message-id-key", String.class));
        ClearMessageIds.rewrite(connection, "shop_order", "order_id", "text", Map.of("order_id", ids::of));
    }
}
