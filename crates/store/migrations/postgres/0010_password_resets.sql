-- Password recovery (first sign-in, forgotten password): a code by SMS to the operator's own
-- numbers, a link by e-mail to others. A phone without an account gets a row too (admin_id
-- NULL, nothing sent), so that the pages answer both alike. The browser's cookie and the
-- link's token are kept as SHA-256, the code as an HMAC under the server secret.
CREATE TABLE password_resets (
    id_hash         TEXT PRIMARY KEY,
    phone           TEXT NOT NULL,
    admin_id        TEXT REFERENCES admins (id),
    channel         TEXT NOT NULL,
    secret_mac      TEXT NOT NULL,
    attempts_left   BIGINT NOT NULL,
    resend_after_ms BIGINT NOT NULL,
    expires_ms      BIGINT NOT NULL,
    verified        SMALLINT NOT NULL DEFAULT 0,
    consumed        SMALLINT NOT NULL DEFAULT 0,
    created_ms      BIGINT NOT NULL
);
CREATE INDEX password_resets_secret ON password_resets (secret_mac);
