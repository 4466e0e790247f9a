-- Optional routes (docs/optional-routes.md).

-- A switch an admin flipped (PUT /api/v1/admin/features/{name}); without a row the property
-- scc.feature.<name>.enabled decides. Every instance polls this table. Only FeatureSwitchRepository touches it.
CREATE TABLE feature_switch (
    name        VARCHAR(64)  PRIMARY KEY,
    enabled     BOOLEAN      NOT NULL,
    updated_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- One follow-up Task per call and kind (missed, callback, escalation), the same discipline as the Call activity:
-- insert_started_at is set and committed before the insert and cleared with the Task's id; a marker without an id
-- means the outcome is unknown and the next attempt looks the Task up by COQL first. Only FollowupTaskRepository.
CREATE TABLE followup_task (
    call_id            VARCHAR(200) NOT NULL,
    kind               VARCHAR(16)  NOT NULL CHECK (kind IN ('missed', 'callback', 'escalation')),
    zoho_task_id       VARCHAR(32),
    insert_started_at  TIMESTAMPTZ,
    created_at         TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at         TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (call_id, kind)
);

-- Transcript and summary links written as Notes on the Call (scc.links.transcript-target = notes): one Note per
-- call and kind, updated when the link changes. Same marker discipline. Only CallNoteRepository.
CREATE TABLE call_note (
    call_id            VARCHAR(200) NOT NULL,
    kind               VARCHAR(16)  NOT NULL CHECK (kind IN ('transcript', 'summary')),
    zoho_note_id       VARCHAR(32),
    content            TEXT,
    insert_started_at  TIMESTAMPTZ,
    created_at         TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at         TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (call_id, kind)
);
