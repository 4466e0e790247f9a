-- Tenants (README, "Tenants"): one deployment, many call centres, each with its own Zoho org. Only TenantRepository
-- touches these tables. Secrets are stored the way the Zoho tokens are: sealed with AES-256-GCM under SCC_TOKEN_KEY
-- (crypto/TokenCipher; version byte || 96-bit nonce || ciphertext || tag), key_id naming the key that sealed them, the
-- column and the tenant bound in as associated data. An admin token is kept only as its SHA-256.
CREATE TABLE tenant (
    id                           TEXT         PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,39}$'),
    name                         TEXT         NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    admin_token_hash             CHAR(64)     UNIQUE,     -- hex SHA-256 of the tenant admin token; null for default
    key_id                       VARCHAR(16),             -- the key that sealed both webhook secrets of this row
    webhook_secret_enc           BYTEA,                   -- null for default: its secret is SCC_WEBHOOK_SECRET
    previous_webhook_secret_enc  BYTEA,                   -- the secret before the last rotation, still accepted ...
    previous_until               TIMESTAMPTZ,             -- ... until then (24 hours after the rotation)
    settings                     JSONB        NOT NULL DEFAULT '{}',  -- the tenant's own settings; a missing key: the deployment's
    disabled_at                  TIMESTAMPTZ,             -- a disabled tenant keeps its row: its id is never reused
    created_at                   TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- The tenant of a single-company deployment: it always exists, its secrets are the configuration's, its agents are
-- config/agents.yaml; its row holds only settings an operator stores for it.
INSERT INTO tenant (id, name) VALUES ('default', 'default');

-- A provider webhook secret of a tenant (twilio authToken, aircall token, ...): write-only through the API.
CREATE TABLE tenant_provider_secret (
    tenant_id   TEXT         NOT NULL REFERENCES tenant (id),
    provider    VARCHAR(32)  NOT NULL,
    name        VARCHAR(64)  NOT NULL,
    key_id      VARCHAR(16)  NOT NULL,
    value_enc   BYTEA        NOT NULL,
    updated_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, provider, name)
);

-- A tenant's agent -> Zoho user map (the default tenant's is config/agents.yaml). agent: the event's agent id, or an
-- email (stored lower-cased).
CREATE TABLE tenant_agent (
    tenant_id     TEXT         NOT NULL REFERENCES tenant (id),
    agent         VARCHAR(320) NOT NULL,
    zoho_user_id  VARCHAR(19)  NOT NULL,
    PRIMARY KEY (tenant_id, agent)
);
