-- Ingest: Camel's JDBC idempotent repository (its own DDL, owned here rather than created at run time;
-- messageId widened to 255 because an eventId may have 200 characters) and the durable inbox of call events.
CREATE TABLE CAMEL_MESSAGEPROCESSED (
    processorName VARCHAR(255) NOT NULL,
    messageId     VARCHAR(255) NOT NULL,
    createdAt     TIMESTAMP    NOT NULL,
    PRIMARY KEY (processorName, messageId)
);

CREATE TABLE call_event (
    id           BIGSERIAL    PRIMARY KEY,
    event_id     VARCHAR(200) NOT NULL UNIQUE,
    call_id      VARCHAR(200) NOT NULL,
    event_type   VARCHAR(32)  NOT NULL,
    occurred_at  TIMESTAMPTZ  NOT NULL,
    received_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    source       VARCHAR(32)  NOT NULL DEFAULT 'canonical',
    event        JSONB        NOT NULL,   -- the normalized CallEvent
    raw_body     BYTEA        NOT NULL,   -- exactly what was signed
    processed_at TIMESTAMPTZ              -- set by the sync when the event is merged into the call's state
);

CREATE INDEX call_event_by_call ON call_event (call_id, occurred_at);
CREATE INDEX call_event_unprocessed ON call_event (call_id) WHERE processed_at IS NULL;
