-- Admin page sessions that were signed out (issue 13): the cookie is signed, so a copy of it stays valid until it
-- expires unless the server remembers that it was ended. A SHA-256 of the cookie value, kept until the cookie's own
-- expiry; every instance checks it.
CREATE TABLE admin_session_ended (
    session_hash CHAR(64)    PRIMARY KEY,
    expires_at   TIMESTAMPTZ NOT NULL
);

CREATE INDEX admin_session_ended_expiry ON admin_session_ended (expires_at);
