-- Leads and Contacts this service created, by the customer's normalized email ('email:<lower-cased>') and phone
-- ('phone:<E.164>'). Zoho's search index lags behind writes, so a second call from a new customer, handled by
-- another worker, another instance or after a restart, would not find the record by search and would create it
-- again. Under the per-customer lock (CallLocks.lockPerson) the matcher reads this table before searching.
-- zoho_id NULL: a create was sent and its outcome is not known yet (the next one looks it up by COQL, live data).
-- Rows count for scc.match.created-window only (Zoho users may convert, merge or delete the record later); the
-- sweep deletes older ones.
CREATE TABLE person_created (
    match_key   VARCHAR(400) PRIMARY KEY,
    zoho_module VARCHAR(32)  NOT NULL,
    zoho_id     VARCHAR(32),
    call_id     VARCHAR(200) NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE INDEX person_created_created_at ON person_created (created_at);
