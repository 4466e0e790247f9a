-- The admin page lists a tenant's most recent calls (and the agents of the last 30 days) from call_sync: one index
-- per tenant by arrival, so the page reads 50 rows instead of sorting every call of the tenant.
CREATE INDEX call_sync_recent ON call_sync (tenant_id, first_received_at DESC);
