-- Issue 14: the Zoho credits each tenant's org spent, per minute, shared by every instance (ZohoCredits). The daily
-- budget (scc.zoho.daily-credits) is compared with the sum of the last 24 hours: Zoho's window is rolling, a credit
-- spent at t returns at t + 24 h. Rows older than that are deleted now and then by the instance that writes.
CREATE TABLE zoho_credit_usage (
    tenant_id VARCHAR(40)  NOT NULL,
    minute    TIMESTAMPTZ  NOT NULL,   -- start of the minute the credits were spent in (the app's clock)
    credits   BIGINT       NOT NULL,
    PRIMARY KEY (tenant_id, minute)
);
