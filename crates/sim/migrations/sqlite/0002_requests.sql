-- Provisioning requests the network received: one row per idempotency key, so that a
-- request repeated after a crash is recognised and its change applied once.
CREATE TABLE sim_requests (
    key         TEXT PRIMARY KEY,
    bin         TEXT NOT NULL,
    msisdn      TEXT NOT NULL,
    operation   TEXT NOT NULL,
    state       TEXT NOT NULL,
    reason      TEXT,
    prior_state TEXT,
    due_ms      BIGINT NOT NULL,
    created_ms  BIGINT NOT NULL,
    finished_ms BIGINT
);
CREATE INDEX sim_requests_number ON sim_requests (msisdn, state);

-- A SIM card is on one number at a time: replacement checks the ICCID is free.
CREATE INDEX sim_subscribers_iccid ON sim_subscribers (iccid);

-- Call forwarding rules in force: one per kind. target_type is 'number' or 'service'.
CREATE TABLE sim_forwardings (
    msisdn      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target      TEXT NOT NULL,
    created_ms  BIGINT NOT NULL,
    PRIMARY KEY (msisdn, kind)
);

-- eSIMs issued and not yet installed: one per number, valid until expires_ms.
CREATE TABLE sim_esim_activations (
    msisdn      TEXT PRIMARY KEY,
    matching_id TEXT NOT NULL,
    expires_ms  BIGINT NOT NULL,
    created_ms  BIGINT NOT NULL
);

-- The national device registry as the simulated network keeps it: an IMEI registered with
-- a number and its owner's BIN/IIN; duplicates add another number to the same device.
CREATE TABLE sim_imei_registry (
    imei          TEXT NOT NULL,
    msisdn        TEXT NOT NULL,
    owner         TEXT NOT NULL,
    duplicate     SMALLINT NOT NULL,
    registered_ms BIGINT NOT NULL,
    PRIMARY KEY (imei, msisdn)
);
CREATE INDEX sim_imei_registry_number ON sim_imei_registry (msisdn);
