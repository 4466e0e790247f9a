-- The instances of the service on this schema, each with its last heartbeat: a tenant's Zoho concurrency budget is
-- per org, so each live instance takes its share of it (ops/Instances).
CREATE TABLE scc_instance (
    id        VARCHAR(64) PRIMARY KEY,
    last_seen TIMESTAMPTZ NOT NULL
);
