-- Sync: one row per call with its merged state and where it stands in Zoho (docs/sync.md).
-- Only CallSyncRepository reads or writes this table.
CREATE TABLE call_sync (
    call_id                  VARCHAR(200) PRIMARY KEY,
    -- pending: Zoho must be brought to the state; waiting: the call has not ended yet (next_attempt_at = end
    -- timeout); synced: Zoho shows the state; parked: a retryable failure, retried at next_attempt_at;
    -- dead: an error retrying cannot fix, waits for a person and a replay
    status                   VARCHAR(16)  NOT NULL DEFAULT 'pending'
                             CHECK (status IN ('pending', 'waiting', 'synced', 'parked', 'dead')),
    state                    JSONB        NOT NULL DEFAULT '{}'::jsonb,   -- merged CallState of all events
    first_received_at        TIMESTAMPTZ  NOT NULL DEFAULT now(),         -- first event of the call reached us
    zoho_module              VARCHAR(32),                                 -- Leads | Contacts, the linked person
    zoho_record_id           VARCHAR(32),
    zoho_call_id             VARCHAR(32),                                 -- the Call activity: insert once, then update
    owner_id                 VARCHAR(32),
    ambiguity                TEXT,                                        -- several records matched: which were passed over
    -- set and committed BEFORE a Zoho create/insert, cleared with its result: a marker without a result means
    -- the outcome is unknown (crash, timeout) and the next attempt looks up by COQL before writing
    person_create_started_at TIMESTAMPTZ,
    person_create_module     VARCHAR(32),
    call_insert_started_at   TIMESTAMPTZ,
    attempts                 INTEGER      NOT NULL DEFAULT 0,             -- runs that talked to Zoho
    parked_count             INTEGER      NOT NULL DEFAULT 0,             -- consecutive parks, for the growing delay
    next_attempt_at          TIMESTAMPTZ,                                 -- due for the sweep; NULL: nothing to do
    last_attempt_at          TIMESTAMPTZ,
    last_error_code          VARCHAR(64),
    last_error_field         VARCHAR(128),
    last_error_message       TEXT,
    created_at               TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at               TIMESTAMPTZ  NOT NULL DEFAULT now(),
    synced_at                TIMESTAMPTZ
);

CREATE INDEX call_sync_due ON call_sync (next_attempt_at) WHERE next_attempt_at IS NOT NULL;
CREATE INDEX call_sync_failures ON call_sync (updated_at DESC) WHERE status IN ('parked', 'dead');
