-- Delivery of the outbox: each message is sent by a `deliver` job enqueued with it, and
-- records its state here. `sensitive` messages (one-time codes, secret codes, reset links)
-- lose their body once delivered. Attachments travel with their message (reports).
ALTER TABLE outbox ADD COLUMN state TEXT NOT NULL DEFAULT 'pending';
ALTER TABLE outbox ADD COLUMN attempts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN last_error TEXT;
ALTER TABLE outbox ADD COLUMN sensitive SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN redacted SMALLINT NOT NULL DEFAULT 0;
-- Messages written before delivery existed were never sent: they stay in the outbox only.
UPDATE outbox SET state = 'kept';
CREATE INDEX outbox_state ON outbox (state, created_ms);

CREATE TABLE outbox_attachments (
    message_id   TEXT NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
    position     BIGINT NOT NULL,
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    -- Base64: the schema keeps to types both engines read alike.
    content_b64  TEXT NOT NULL,
    PRIMARY KEY (message_id, position)
);
