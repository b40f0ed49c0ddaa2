-- Reports an administrator asked for ("My reports"): prepared by a `report` job, e-mailed,
-- and kept for download until `expires_ms`. Every read names the company and the
-- administrator. `params` is the request as JSON (its shape belongs to `kind`); `locale` is
-- the language it was asked in, which the file and the e-mail are written in.
CREATE TABLE reports (
    id           TEXT PRIMARY KEY,
    company_id   TEXT NOT NULL REFERENCES companies (id),
    admin_id     TEXT NOT NULL REFERENCES admins (id),
    kind         TEXT NOT NULL,
    params       TEXT NOT NULL,
    title        TEXT NOT NULL,
    locale       TEXT NOT NULL,
    state        TEXT NOT NULL,
    job_id       TEXT NOT NULL,
    created_ms   BIGINT NOT NULL,
    finished_ms  BIGINT,
    size_bytes   BIGINT,
    file_name    TEXT,
    content_type TEXT,
    expires_ms   BIGINT NOT NULL,
    error        TEXT
);
CREATE INDEX reports_owner ON reports (company_id, admin_id, created_ms);
CREATE INDEX reports_expiry ON reports (expires_ms);

-- A ready report's file in order, a chunk a row (base64: the schema keeps to types both
-- engines read alike), so that every instance can serve it and a download holds one chunk
-- in memory at a time.
CREATE TABLE report_chunks (
    report_id   TEXT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    position    BIGINT NOT NULL,
    content_b64 TEXT NOT NULL,
    PRIMARY KEY (report_id, position)
);
