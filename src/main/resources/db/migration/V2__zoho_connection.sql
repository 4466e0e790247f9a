-- The Zoho connection: one row (the org this service writes to), its tokens encrypted with AES-256-GCM under
-- SCC_TOKEN_KEY. A token column holds version byte || 96-bit nonce || ciphertext || tag, never plaintext; key_id
-- names the key that wrote the row (first 8 hex of SHA-256 of the key) so a rotated key can still read it.
-- Every instance reads its access token here: Zoho lets one refresh token mint only 10 access tokens per 10 minutes.
CREATE TABLE zoho_connection (
    id                 SMALLINT     PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    state              VARCHAR(16)  NOT NULL CHECK (state IN ('connected', 'broken')),
    accounts_url       VARCHAR(255) NOT NULL,   -- the accounts server that issued the tokens (refresh and revoke go there)
    api_domain         VARCHAR(255) NOT NULL,   -- where the CRM API of this org lives (Zoho's api_domain)
    location           VARCHAR(16),             -- Zoho's data-centre code (us, eu, in, ...), when Zoho gave one
    scopes             TEXT,                    -- space-separated scopes that Zoho granted
    key_id             VARCHAR(16),
    refresh_token_enc  BYTEA,                   -- null once broken (a refused refresh token is useless)
    access_token_enc   BYTEA,
    access_expires_at  TIMESTAMPTZ,
    refresh_not_before TIMESTAMPTZ,             -- Zoho throttled refreshes ("Access Denied"): do not ask before this
    user_id            VARCHAR(32),             -- the Zoho user who connected (CurrentUser)
    user_email         VARCHAR(320),
    user_name          VARCHAR(255),
    connected_at       TIMESTAMPTZ  NOT NULL,
    last_refresh_at    TIMESTAMPTZ,
    broken_at          TIMESTAMPTZ,
    broken_reason      TEXT,
    updated_at         TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- OAuth "state" values of consent round trips in flight (CSRF): single use, short-lived. Only a SHA-256 of the value
-- is kept, so the table cannot be used to forge a callback.
CREATE TABLE zoho_oauth_state (
    state_hash  CHAR(64)    PRIMARY KEY,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ
);

CREATE INDEX zoho_oauth_state_expiry ON zoho_oauth_state (expires_at);
