-- The audit chain becomes keyed and append-only for the service (README, Security → Audit log).
--
-- 1. Every new entry's hash is an HMAC-SHA256 under an audit key that is not in the database (AuditChain), and names
--    that key, so that keys can be rotated. The entries written before, under the unkeyed SHA-256 rule, have no key.
ALTER TABLE audit_entry ADD COLUMN key_id VARCHAR(32);

-- 2. The legacy boundary: the entries there are now stay verifiable by the unkeyed rule, and only they. The constraint
--    refuses an unkeyed entry after them (a replica of the previous version still running during the rolling update
--    cannot append one: its audited change fails and its caller or consumer retries it on a new replica); the row
--    tells verify where the boundary is. The first keyed entry covers the hash of the last legacy one, and so pins
--    them all under the key (consent-service appends one at start, AuditLog.pinLegacyEntries). ALTER TABLE above holds
--    the table's exclusive lock until this migration commits, so no entry is appended meanwhile.
CREATE TABLE audit_legacy_boundary (
    one_row    BOOLEAN     PRIMARY KEY DEFAULT TRUE CHECK (one_row),
    last_seq   BIGINT      NOT NULL,
    last_hash  CHAR(64)    NOT NULL,
    marked_at  TIMESTAMPTZ NOT NULL
);
INSERT INTO audit_legacy_boundary (last_seq, last_hash, marked_at)
SELECT coalesce(max(seq), 0), coalesce((SELECT hash FROM audit_entry ORDER BY seq DESC LIMIT 1), repeat('0', 64)), now()
FROM audit_entry;
DO $$
BEGIN
    EXECUTE format('ALTER TABLE audit_entry ADD CONSTRAINT audit_entry_keyed_after_boundary CHECK (key_id IS NOT NULL OR seq <= %s)',
            (SELECT last_seq FROM audit_legacy_boundary));
END $$;

-- 3. Entries that hand out or list many subjects name them by keyed hashes in details.subjects (HMAC under the audit
--    key, not a plain hash anyone could compute from a subject id): who was handed a person's contact details, and
--    when, is one index lookup (GET /api/audit?subjectId=...).
CREATE INDEX audit_entry_subjects ON audit_entry USING gin (((details)::jsonb -> 'subjects'));

-- 4. Roles. Migrations run as the database owner (quarkus.flyway.username, DB_OWNER_USER); the service runs as its own
--    role ${runtime_role} (quarkus.datasource.username, DB_USER), which may read and write every table but may only
--    insert and read audit entries, read the boundary, and not touch the migration history. Tables and sequences that
--    later migrations create get the same read/write grants by default: a later table that must be append-only too
--    revokes them itself. When both are the same role (one role for everything, as before) nothing is granted, and
--    consent-service refuses to start unless sohbet.consent.audit.require-append-only is false.
DO $$
DECLARE
    runtime TEXT := '${runtime_role}';
BEGIN
    REVOKE ALL ON audit_entry, audit_legacy_boundary FROM PUBLIC;
    IF runtime = current_user THEN
        RETURN;
    END IF;
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I', current_schema(), runtime);
    EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA %I TO %I', current_schema(), runtime);
    EXECUTE format('REVOKE ALL ON audit_entry, audit_legacy_boundary, %I FROM %I', '${flyway:table}', runtime);
    EXECUTE format('GRANT SELECT, INSERT ON audit_entry TO %I', runtime);
    EXECUTE format('GRANT SELECT ON audit_legacy_boundary TO %I', runtime);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I',
            current_schema(), runtime);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO %I',
            current_schema(), runtime);
END $$;
