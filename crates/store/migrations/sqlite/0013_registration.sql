-- Operator staff: who decides companies' requests for administrator access in the operator
-- console. Created with `cabinet staff create`; only the password's Argon2id hash is kept.
CREATE TABLE operator_staff (
    id            TEXT PRIMARY KEY,
    login         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_ms    BIGINT NOT NULL
);
-- A signed-in member of staff (only the SHA-256 of the browser's id).
CREATE TABLE staff_sessions (
    id_hash    TEXT PRIMARY KEY,
    staff_id   TEXT NOT NULL REFERENCES operator_staff (id),
    created_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL
);
-- A company's request for administrator access (Register), with its letter: a PDF kept as
-- base64 text (the portable column types). pending → approved | rejected, once.
CREATE TABLE access_requests (
    id           TEXT PRIMARY KEY,
    bin          TEXT NOT NULL,
    company_name TEXT NOT NULL,
    admin_name   TEXT NOT NULL,
    phone        TEXT NOT NULL,
    email        TEXT NOT NULL,
    locale       TEXT NOT NULL,
    letter_name  TEXT NOT NULL,
    letter_size  BIGINT NOT NULL,
    letter       TEXT NOT NULL,
    state        TEXT NOT NULL,
    reason       TEXT,
    decided_by   TEXT,
    decided_ms   BIGINT,
    created_ms   BIGINT NOT NULL
);
CREATE INDEX access_requests_state ON access_requests (state, created_ms);
