-- Reconciliation (docs/sync.md, "Reconciliation"): per tenant, who runs it next and the last report, shown on the
-- admin page. Only sync/ReconcileReports reads or writes this table.
CREATE TABLE reconcile_report (
    tenant_id    TEXT         PRIMARY KEY REFERENCES tenant (id),
    -- the last run's start: the scheduled run of an interval is taken by the first instance that moves it
    claimed_at   TIMESTAMPTZ  NOT NULL,
    finished_at  TIMESTAMPTZ,
    report       JSONB        -- {checked, deleted, duplicates, adopted, truncated, ...} as the admin action answers
);
