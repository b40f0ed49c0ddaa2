-- An employee signed in to self-care with a number and its secret code (SPEC §5). Only
-- the SHA-256 of the browser's id is kept. A session belongs to the number in the company
-- that issued the code: replacing or deleting the code deletes the number's sessions.
CREATE TABLE employee_sessions (
    id_hash    TEXT PRIMARY KEY,
    company_id TEXT NOT NULL REFERENCES companies (id),
    msisdn     TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL
);
CREATE INDEX employee_sessions_number ON employee_sessions (company_id, msisdn);
-- The sign-in finds a number's codes without knowing its company.
CREATE INDEX secret_codes_number ON secret_codes (msisdn);
