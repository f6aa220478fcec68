-- KVKK destruction records (DestructionRecords): every deletion, destruction and anonymisation is an entry of the audit
-- chain with action 'kvkk.destruction', so it is keyed, chained and append-only like every audit entry (V10), and kept
-- as long as the audit log (no retention rule deletes audit entries; the service's role cannot). The periodic
-- destruction report (GET /api/destruction-records?from&to) reads them by time: this index serves it.
CREATE INDEX audit_entry_destruction_at ON audit_entry (at) WHERE action = 'kvkk.destruction';
