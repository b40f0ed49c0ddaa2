-- The simulator of the operator's billing and network: customers (by BIN), their accounts
-- and numbers, the services and allowances on each number, contract phones. Types are
-- BIGINT, TEXT and SMALLINT (0/1 flags) as in Cabinet's own schema; money is integer tiyn,
-- instants unix milliseconds. The SQLite and PostgreSQL texts differ only in the number key
-- and the search index (FTS5 on SQLite, pg_trgm on PostgreSQL).

CREATE TABLE sim_customers (
    bin          TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    -- Kept by whoever adds or removes numbers, so that counting is a point lookup.
    number_count BIGINT NOT NULL,
    created_ms   BIGINT NOT NULL
);

-- A personal account: the unit of billing. 'separate' holds one number, 'common' several
-- that share the credit limit.
CREATE TABLE sim_accounts (
    account_no     TEXT PRIMARY KEY,
    bin            TEXT NOT NULL REFERENCES sim_customers (bin),
    account_type   TEXT NOT NULL,
    billing        TEXT NOT NULL,
    -- Credit (postpaid) accounts only.
    credit_limit   BIGINT,
    -- Charges of the current bill cycle, against the credit limit.
    period_charges BIGINT NOT NULL,
    -- Unpaid charges of past bill cycles.
    past_debt      BIGINT NOT NULL
);
CREATE INDEX sim_accounts_bin ON sim_accounts (bin);

CREATE TABLE sim_subscribers (
    id                   INTEGER PRIMARY KEY,
    msisdn               TEXT NOT NULL UNIQUE,
    bin                  TEXT NOT NULL REFERENCES sim_customers (bin),
    account_no           TEXT NOT NULL REFERENCES sim_accounts (account_no),
    tariff_code          TEXT NOT NULL,
    state                TEXT NOT NULL,
    state_changed_ms     BIGINT NOT NULL,
    -- The number's own spending cap for the bill cycle, and what it spent so far.
    individual_limit     BIGINT,
    period_spent         BIGINT NOT NULL,
    -- Prepaid balance (advance numbers).
    balance              BIGINT NOT NULL,
    roaming_debt         BIGINT NOT NULL,
    registration_form    TEXT NOT NULL,
    esim                 SMALLINT NOT NULL,
    ban_ussd             SMALLINT NOT NULL,
    ban_selfcare_details SMALLINT NOT NULL,
    ban_selfcare         SMALLINT NOT NULL,
    subscription_block   SMALLINT NOT NULL,
    hidden_caller_id     SMALLINT NOT NULL,
    in_roaming           SMALLINT NOT NULL,
    iccid                TEXT NOT NULL,
    pin1                 TEXT NOT NULL,
    pin2                 TEXT NOT NULL,
    puk1                 TEXT NOT NULL,
    puk2                 TEXT NOT NULL,
    sim_replaced_ms      BIGINT,
    last_imei            TEXT,
    created_ms           BIGINT NOT NULL
);
-- Lists page through a customer's numbers in number order; account_no rides along so that
-- a digit filter over both can be checked in the index without touching the rows.
CREATE INDEX sim_subscribers_bin_msisdn ON sim_subscribers (bin, msisdn, account_no);
CREATE INDEX sim_subscribers_account ON sim_subscribers (account_no);

-- Search by any 3+ digits of the number or the account: a trigram index over both columns,
-- kept in step with sim_subscribers by the triggers below.
CREATE VIRTUAL TABLE sim_subscribers_fts USING fts5 (
    msisdn, account_no,
    content = 'sim_subscribers', content_rowid = 'id',
    tokenize = 'trigram', columnsize = 0
);

CREATE TRIGGER sim_subscribers_fts_insert AFTER INSERT ON sim_subscribers BEGIN
    INSERT INTO sim_subscribers_fts (rowid, msisdn, account_no) VALUES (new.id, new.msisdn, new.account_no);
END;

CREATE TRIGGER sim_subscribers_fts_delete AFTER DELETE ON sim_subscribers BEGIN
    INSERT INTO sim_subscribers_fts (sim_subscribers_fts, rowid, msisdn, account_no)
    VALUES ('delete', old.id, old.msisdn, old.account_no);
END;

CREATE TRIGGER sim_subscribers_fts_update AFTER UPDATE OF msisdn, account_no ON sim_subscribers BEGIN
    INSERT INTO sim_subscribers_fts (sim_subscribers_fts, rowid, msisdn, account_no)
    VALUES ('delete', old.id, old.msisdn, old.account_no);
    INSERT INTO sim_subscribers_fts (rowid, msisdn, account_no) VALUES (new.id, new.msisdn, new.account_no);
END;

-- Services switched on a number (codes of the catalog compiled into the binary).
CREATE TABLE sim_subscriber_services (
    msisdn       TEXT NOT NULL REFERENCES sim_subscribers (msisdn),
    service_code TEXT NOT NULL,
    activated_ms BIGINT NOT NULL,
    PRIMARY KEY (msisdn, service_code)
);

-- What is left of each allowance. source is 'tariff' or the code of the package that gave
-- it. Voice in seconds, SMS in messages, data in kilobytes; unlimited ones keep 0/0.
CREATE TABLE sim_allowances (
    msisdn       TEXT NOT NULL REFERENCES sim_subscribers (msisdn),
    source       TEXT NOT NULL,
    kind         TEXT NOT NULL,
    unlimited    SMALLINT NOT NULL,
    available    BIGINT NOT NULL,
    total        BIGINT NOT NULL,
    connected_ms BIGINT NOT NULL,
    until_ms     BIGINT NOT NULL,
    PRIMARY KEY (msisdn, source, kind)
);

-- Devices bought in instalments with a number; seq orders several on one number.
CREATE TABLE sim_contract_phones (
    msisdn          TEXT NOT NULL REFERENCES sim_subscribers (msisdn),
    seq             BIGINT NOT NULL,
    device_name     TEXT NOT NULL,
    device_type     TEXT NOT NULL,
    active          SMALLINT NOT NULL,
    activated_ms    BIGINT NOT NULL,
    terminates_ms   BIGINT NOT NULL,
    term_months     BIGINT NOT NULL,
    monthly_payment BIGINT NOT NULL,
    contract_price  BIGINT NOT NULL,
    promotion       TEXT NOT NULL,
    PRIMARY KEY (msisdn, seq)
);
