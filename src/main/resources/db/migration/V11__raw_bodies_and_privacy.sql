-- Issue 13: a request's raw body is stored once, referenced by each of its events (an Asterisk batch of 500 rows
-- carried its whole body in every row). Existing rows keep their inline copy in call_event.raw_body: moving them would
-- rewrite the largest table inside the upgrade's transaction, and retention (scc.retention.events) clears them anyway.
-- New rows leave call_event.raw_body NULL and point at raw_body instead.
CREATE TABLE raw_body (
    id          BIGSERIAL    PRIMARY KEY,
    tenant_id   VARCHAR(40)  NOT NULL,
    received_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    body        BYTEA        NOT NULL    -- exactly what was verified (Aircall's: without its body token)
);

ALTER TABLE call_event ALTER COLUMN raw_body DROP NOT NULL;
-- retention or an erasure deletes a raw body; its events stay, with their personal fields removed
ALTER TABLE call_event ADD COLUMN raw_body_id BIGINT REFERENCES raw_body (id) ON DELETE SET NULL;
CREATE INDEX call_event_raw_body ON call_event (raw_body_id) WHERE raw_body_id IS NOT NULL;

-- Retention: when the personal fields of a call were removed (its events, raw bodies and merged state); NULL: not yet.
ALTER TABLE call_sync ADD COLUMN personal_data_removed_at TIMESTAMPTZ;
CREATE INDEX call_sync_retention ON call_sync (synced_at) WHERE status = 'synced' AND personal_data_removed_at IS NULL;

-- The OAuth state is bound to the browser that started the consent: SHA-256 of the nonce cookie set by
-- GET /oauth/zoho/connect. NULL only for states issued before this version (they expire within 10 minutes).
ALTER TABLE zoho_oauth_state ADD COLUMN nonce_hash CHAR(64);
