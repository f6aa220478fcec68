package io.sohbet.consent.service;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.sohbet.consent.config.ConsentConfig;
import io.sohbet.consent.repository.Database;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * At start: checks that the database role this service runs as may only insert and read audit entries (else refuses to
 * start, with {@code sohbet.consent.audit.require-append-only}), and pins the legacy entries from before V10 under the
 * audit key ({@link AuditLog#pinLegacyEntries}).
 */
@ApplicationScoped
public class AuditStartup {

    /** What the current role may do to the audit tables beyond inserting and reading entries; no row = nothing. */
    public static final String PRIVILEGES_BEYOND_APPEND = """
            SELECT 'superuser' FROM pg_roles WHERE rolname = current_user AND rolsuper
            UNION ALL SELECT 'owner of audit_entry' WHERE pg_has_role((SELECT tableowner FROM pg_tables
                WHERE schemaname = current_schema() AND tablename = 'audit_entry'), 'USAGE')
            UNION ALL SELECT p || ' on ' || t FROM unnest(ARRAY['audit_entry', 'audit_legacy_boundary']) t,
                unnest(ARRAY['UPDATE', 'DELETE', 'TRUNCATE', 'TRIGGER', 'REFERENCES']) p
                WHERE has_table_privilege(t, p) OR p IN ('UPDATE', 'REFERENCES') AND has_any_column_privilege(t, p)
            UNION ALL SELECT 'INSERT on audit_legacy_boundary' WHERE has_any_column_privilege('audit_legacy_boundary', 'INSERT')
            """;

    private static final Logger LOG = Logger.getLogger(AuditStartup.class);

    private final Database database;
    private final AuditLog audit;
    private final ConsentConfig config;

    @Inject
    public AuditStartup(Database database, AuditLog audit, ConsentConfig config) {
        this.database = database;
        this.audit = audit;
        this.config = config;
    }

    /**
     * For a test: checks the role of {@code pool}'s connections instead of the service's (and pins, should it come to
     * that, in a transaction on {@code pool}).
     */
    public AuditStartup(Pool pool, AuditLog audit, ConsentConfig config) {
        this(new Database(pool), audit, config);
    }

    void onStart(@Observes StartupEvent event) throws Throwable {
        List<String> beyond = new ArrayList<>();
        for (Row row : database.pool().query(PRIVILEGES_BEYOND_APPEND).execute().await()
                .atMost(Duration.ofSeconds(30))) {
            beyond.add(row.getString(0));
        }
        if (!beyond.isEmpty()) {
            String message = "the database role may rewrite the audit log (" + String.join(", ", beyond) + "): run "
                    + "consent-service as a role that may only insert and read audit entries, and its migrations as the "
                    + "owner (DB_OWNER_USER; README, Security)";
            if (config.audit().requireAppendOnly()) {
                throw new IllegalStateException(message);
            }
            LOG.warn(message);
        }
        VertxContextSupport.subscribeAndAwait(
                () -> database.inTransaction(() -> audit.pinLegacyEntries(config.serviceName())));
    }
}
