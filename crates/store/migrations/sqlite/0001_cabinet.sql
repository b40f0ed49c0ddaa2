-- Cabinet's own tables. Types are limited to BIGINT, TEXT and SMALLINT (0/1 flags) so that
-- one SQL text serves SQLite and PostgreSQL; instants are unix milliseconds (UTC).

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE companies (
    id         TEXT PRIMARY KEY,
    bin        TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);

CREATE TABLE admins (
    id            TEXT PRIMARY KEY,
    phone         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    email         TEXT,
    password_hash TEXT,
    created_ms    BIGINT NOT NULL
);

CREATE TABLE admin_companies (
    admin_id   TEXT NOT NULL REFERENCES admins (id),
    company_id TEXT NOT NULL REFERENCES companies (id),
    role       TEXT NOT NULL,
    alias      TEXT,
    granted_ms BIGINT NOT NULL,
    PRIMARY KEY (admin_id, company_id)
);

-- Server-side sessions. The cookie holds a random id; only its SHA-256 is stored.
-- stage 'otp': password accepted, waiting for the one-time code; 'active': signed in.
CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,
    admin_id     TEXT NOT NULL REFERENCES admins (id),
    stage        TEXT NOT NULL,
    company_id   TEXT REFERENCES companies (id),
    challenge_id TEXT,
    created_ms   BIGINT NOT NULL,
    expires_ms   BIGINT NOT NULL
);
CREATE INDEX sessions_admin ON sessions (admin_id);

-- One-time codes: only an HMAC of the code is kept.
CREATE TABLE otp_challenges (
    id              TEXT PRIMARY KEY,
    admin_id        TEXT NOT NULL REFERENCES admins (id),
    code_mac        TEXT NOT NULL,
    channel         TEXT NOT NULL,
    created_ms      BIGINT NOT NULL,
    expires_ms      BIGINT NOT NULL,
    resend_after_ms BIGINT NOT NULL,
    attempts_left   BIGINT NOT NULL,
    consumed        SMALLINT NOT NULL
);

-- Fixed-window counters for rate limits (per phone, per client address), shared by all
-- instances through the store.
CREATE TABLE auth_attempts (
    key             TEXT PRIMARY KEY,
    window_start_ms BIGINT NOT NULL,
    count           BIGINT NOT NULL
);

-- Messages to deliver (SMS and e-mail). Written in the same transaction as what caused
-- them; delivery adapters read from here.
CREATE TABLE outbox (
    id         TEXT PRIMARY KEY,
    channel    TEXT NOT NULL,
    recipient  TEXT NOT NULL,
    subject    TEXT,
    body       TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    sent_ms    BIGINT
);
CREATE INDEX outbox_created ON outbox (created_ms);
