-- Tenants (README, "Tenants"): the tenant is part of every key, so that the same eventId or callId in two tenants
-- are two calls and a query that forgets the tenant finds nothing. Existing rows belong to the tenant 'default';
-- the column keeps no default afterwards, so a statement that does not name the tenant fails instead of guessing.
-- Runs in one transaction: an upgrade either moves everything or nothing.

ALTER TABLE CAMEL_MESSAGEPROCESSED ADD COLUMN tenant_id VARCHAR(40) NOT NULL DEFAULT 'default';
ALTER TABLE CAMEL_MESSAGEPROCESSED ALTER COLUMN tenant_id DROP DEFAULT;
ALTER TABLE CAMEL_MESSAGEPROCESSED DROP CONSTRAINT camel_messageprocessed_pkey;
ALTER TABLE CAMEL_MESSAGEPROCESSED ADD PRIMARY KEY (tenant_id, processorName, messageId);

ALTER TABLE call_event ADD COLUMN tenant_id VARCHAR(40) NOT NULL DEFAULT 'default';
ALTER TABLE call_event ALTER COLUMN tenant_id DROP DEFAULT;
ALTER TABLE call_event DROP CONSTRAINT call_event_event_id_key;
ALTER TABLE call_event ADD CONSTRAINT call_event_tenant_event_id UNIQUE (tenant_id, event_id);
DROP INDEX call_event_by_call;
DROP INDEX call_event_unprocessed;
CREATE INDEX call_event_by_call ON call_event (tenant_id, call_id, occurred_at);
CREATE INDEX call_event_unprocessed ON call_event (tenant_id, call_id) WHERE processed_at IS NULL;

ALTER TABLE call_sync ADD COLUMN tenant_id VARCHAR(40) NOT NULL DEFAULT 'default';
ALTER TABLE call_sync ALTER COLUMN tenant_id DROP DEFAULT;
ALTER TABLE call_sync DROP CONSTRAINT call_sync_pkey;
ALTER TABLE call_sync ADD PRIMARY KEY (tenant_id, call_id);
-- the sweep's round-robin looks at each tenant's due calls in order
DROP INDEX call_sync_due;
CREATE INDEX call_sync_due ON call_sync (tenant_id, next_attempt_at) WHERE next_attempt_at IS NOT NULL;
DROP INDEX call_sync_failures;
CREATE INDEX call_sync_failures ON call_sync (tenant_id, updated_at DESC) WHERE status IN ('parked', 'dead');

-- one Zoho connection per tenant (was: one row with id 1)
ALTER TABLE zoho_connection ADD COLUMN tenant_id VARCHAR(40) NOT NULL DEFAULT 'default';
ALTER TABLE zoho_connection ALTER COLUMN tenant_id DROP DEFAULT;
ALTER TABLE zoho_connection DROP CONSTRAINT zoho_connection_pkey;
ALTER TABLE zoho_connection DROP COLUMN id;
ALTER TABLE zoho_connection ADD PRIMARY KEY (tenant_id);

-- the OAuth state names the tenant whose admin started the consent (one callback URL serves every tenant)
ALTER TABLE zoho_oauth_state ADD COLUMN tenant_id VARCHAR(40) NOT NULL DEFAULT 'default';
ALTER TABLE zoho_oauth_state ALTER COLUMN tenant_id DROP DEFAULT;

ALTER TABLE feature_switch ADD COLUMN tenant_id VARCHAR(40) NOT NULL DEFAULT 'default';
ALTER TABLE feature_switch ALTER COLUMN tenant_id DROP DEFAULT;
ALTER TABLE feature_switch DROP CONSTRAINT feature_switch_pkey;
ALTER TABLE feature_switch ADD PRIMARY KEY (tenant_id, name);

ALTER TABLE followup_task ADD COLUMN tenant_id VARCHAR(40) NOT NULL DEFAULT 'default';
ALTER TABLE followup_task ALTER COLUMN tenant_id DROP DEFAULT;
ALTER TABLE followup_task DROP CONSTRAINT followup_task_pkey;
ALTER TABLE followup_task ADD PRIMARY KEY (tenant_id, call_id, kind);

ALTER TABLE call_note ADD COLUMN tenant_id VARCHAR(40) NOT NULL DEFAULT 'default';
ALTER TABLE call_note ALTER COLUMN tenant_id DROP DEFAULT;
ALTER TABLE call_note DROP CONSTRAINT call_note_pkey;
ALTER TABLE call_note ADD PRIMARY KEY (tenant_id, call_id, kind);

ALTER TABLE person_created ADD COLUMN tenant_id VARCHAR(40) NOT NULL DEFAULT 'default';
ALTER TABLE person_created ALTER COLUMN tenant_id DROP DEFAULT;
ALTER TABLE person_created DROP CONSTRAINT person_created_pkey;
ALTER TABLE person_created ADD PRIMARY KEY (tenant_id, match_key);

-- the sweep asks which tenants have calls parked for want of a connection (to wake them once the tenant connects)
CREATE INDEX call_sync_not_connected ON call_sync (tenant_id)
    WHERE status = 'parked' AND last_error_code = 'NOT_CONNECTED';
