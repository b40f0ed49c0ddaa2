-- Durable jobs: every operation the operator answers asynchronously, every e-mailed report.
-- A job is claimed with a lease (locked_by, locked_until_ms); a lease that runs out (a
-- crashed process) makes the job claimable again. Handlers are idempotent.
CREATE TABLE jobs (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL,
    payload         TEXT NOT NULL,
    state           TEXT NOT NULL,
    attempts        BIGINT NOT NULL,
    max_attempts    BIGINT NOT NULL,
    run_at_ms       BIGINT NOT NULL,
    locked_by       TEXT,
    locked_until_ms BIGINT,
    last_error      TEXT,
    created_ms      BIGINT NOT NULL,
    finished_ms     BIGINT
);
CREATE INDEX jobs_due ON jobs (state, run_at_ms);

-- The actions history: every action of every administrator of a company, including
-- refused and failed ones. Name and phone are kept as they were at the time.
CREATE TABLE actions (
    id          TEXT PRIMARY KEY,
    company_id  TEXT NOT NULL REFERENCES companies (id),
    admin_id    TEXT NOT NULL REFERENCES admins (id),
    admin_name  TEXT NOT NULL,
    admin_phone TEXT NOT NULL,
    kind        TEXT NOT NULL,
    msisdn      TEXT,
    details     TEXT NOT NULL,
    status      TEXT NOT NULL,
    reason      TEXT,
    job_id      TEXT,
    created_ms  BIGINT NOT NULL,
    finished_ms BIGINT
);
CREATE INDEX actions_company_time ON actions (company_id, created_ms);
CREATE INDEX actions_number ON actions (company_id, msisdn, status);
