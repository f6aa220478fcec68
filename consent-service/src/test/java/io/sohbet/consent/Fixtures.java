package io.sohbet.consent;

import io.quarkus.vertx.VertxContextSupport;
import io.sohbet.devstack.SohbetTestResource;
import io.sohbet.devstack.TestTokens;
import io.sohbet.events.SubjectIds;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;

/** Tokens, phones and SQL for this module's tests. */
public final class Fixtures {

    public static final SubjectIds IDS = new SubjectIds("dev-pepper-not-for-production".getBytes(StandardCharsets.UTF_8));
    public static final String NOTICE = "{\"id\":\"kvkk-aydinlatma\",\"version\":\"2026-01\",\"sha256\":\"" + "ab".repeat(32) + "\"}";

    private Fixtures() {
    }

    public static String token(String user, String... roles) {
        return TestTokens.person("sohbet-consent", user, roles).sign();
    }

    public static String officer() {
        return token("zeynep", "privacy-officer");
    }

    /** campaign-service's token: the only caller of contact resolution. */
    public static String service() {
        return TestTokens.service("sohbet-campaign", "sohbet-consent", "contacts:resolve").sign();
    }

    /** A valid Turkish mobile number no other test uses, in local spelling. */
    public static String phone() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return String.format("0532 %03d %02d %02d", r.nextInt(100, 1000), r.nextInt(10, 100), r.nextInt(10, 100));
    }

    public static String grant(String phone, String purpose) {
        return "{\"phone\":\"" + phone + "\",\"purpose\":\"" + purpose + "\",\"state\":\"granted\",\"source\":\"web-form\","
                + "\"notice\":" + NOTICE + ",\"capturedAt\":\"2026-11-01T09:00:00Z\","
                + "\"evidence\":{\"ip\":\"203.0.113.7\",\"userAgent\":\"Mozilla/5.0\"}}";
    }

    public static RowSet<Row> sql(Pool pool, String sql, Object... params) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery(sql).execute(Tuple.from(params)));
    }

    public static long count(Pool pool, String sql, Object... params) throws Throwable {
        return sql(pool, sql, params).iterator().next().getLong(0);
    }

    /** A JDBC connection to this module's database as the PostgreSQL superuser: someone with full database access. */
    public static Connection superuser() throws SQLException {
        Config config = ConfigProvider.getConfig();
        return DriverManager.getConnection(config.getValue(SohbetTestResource.SUPERUSER_URL, String.class),
                config.getValue(SohbetTestResource.SUPERUSER, String.class),
                config.getValue(SohbetTestResource.SUPERUSER_PASSWORD, String.class));
    }
}
