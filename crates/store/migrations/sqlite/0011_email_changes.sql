-- A change of an administrator's e-mail address waits here until the new address confirms
-- it by the link sent to it (only the token's SHA-256 is kept).
CREATE TABLE email_changes (
    token_hash TEXT PRIMARY KEY,
    admin_id   TEXT NOT NULL REFERENCES admins (id),
    email      TEXT NOT NULL,
    expires_ms BIGINT NOT NULL,
    consumed   SMALLINT NOT NULL DEFAULT 0,
    created_ms BIGINT NOT NULL
);
