-- Billing months: the VAT rates by the day they take effect, one invoice per account and
-- month, and its lines per number. Money is integer tiyn; a rate is in basis points
-- (1200 = 12%).
CREATE TABLE sim_vat_rates (
    -- 'YYYY-MM-DD': the rate applies to billing months starting on or after this day.
    valid_from TEXT PRIMARY KEY,
    rate_bp    BIGINT NOT NULL
);
-- 12% until 2025-12-31; 16% from 2026-01-01 (the Tax Code of 2026).
INSERT INTO sim_vat_rates (valid_from, rate_bp) VALUES ('2009-01-01', 1200), ('2026-01-01', 1600);

CREATE TABLE sim_invoices (
    id              INTEGER PRIMARY KEY,
    bin             TEXT NOT NULL,
    account_no      TEXT NOT NULL,
    -- 'YYYY-MM'
    billing_month   TEXT NOT NULL,
    -- advance | credit, as the account was billed
    billing         TEXT NOT NULL,
    -- The electronic invoice's registration number and the billing system's own number.
    registration_no TEXT NOT NULL UNIQUE,
    system_no       TEXT NOT NULL UNIQUE,
    issued_ms       BIGINT NOT NULL,
    due_ms          BIGINT NOT NULL,
    net             BIGINT NOT NULL,
    vat_rate_bp     BIGINT NOT NULL,
    vat             BIGINT NOT NULL,
    total           BIGINT NOT NULL,
    -- How much of the total is settled, and when it was settled in full (NULL: not yet).
    -- An advance account's invoice is settled from its numbers' balances when it is made.
    paid            BIGINT NOT NULL,
    paid_ms         BIGINT,
    -- The ledger transaction that charged it.
    txn_id          BIGINT NOT NULL REFERENCES sim_ledger_txns (id),
    UNIQUE (account_no, billing_month)
);
CREATE INDEX sim_invoices_bin ON sim_invoices (bin, billing_month, account_no);
-- Closing walks a customer's accounts in order, a batch at a time.
CREATE INDEX sim_accounts_bin_account ON sim_accounts (bin, account_no);

-- What an invoice charges, per number: kind 'subscription' (code: the tariff), 'usage'
-- (code: the usage kind; quantity: the units charged beyond the allowances), 'service'
-- (a monthly fee) or 'package' (a package connected in the month).
CREATE TABLE sim_invoice_lines (
    invoice_id BIGINT NOT NULL REFERENCES sim_invoices (id),
    seq        BIGINT NOT NULL,
    msisdn     TEXT NOT NULL,
    kind       TEXT NOT NULL,
    code       TEXT NOT NULL,
    quantity   BIGINT NOT NULL,
    net        BIGINT NOT NULL,
    vat        BIGINT NOT NULL,
    PRIMARY KEY (invoice_id, seq)
);
CREATE INDEX sim_invoice_lines_number ON sim_invoice_lines (msisdn, invoice_id);

-- A payment may settle a credit account's invoices instead of topping a number up.
ALTER TABLE sim_payments ADD COLUMN account_no TEXT;

-- An account's debt is in the books too: 'account:<account_no>' holds minus the unpaid
-- charges of past periods (its running balance is -sim_accounts.past_debt). Debts from
-- before the books open against 'op:opening', in the customer's opening transaction.
INSERT INTO sim_ledger_entries (txn_id, account, amount, balance_after)
    SELECT t.id, 'account:' || a.account_no, -a.past_debt, -a.past_debt
      FROM sim_accounts a JOIN sim_ledger_txns t ON t.key = 'opening:' || a.bin
     WHERE a.past_debt <> 0;
INSERT INTO sim_ledger_entries (txn_id, account, amount, balance_after)
    SELECT t.id, 'op:opening', CAST(SUM(a.past_debt) AS BIGINT), NULL
      FROM sim_accounts a JOIN sim_ledger_txns t ON t.key = 'opening:' || a.bin
     WHERE a.past_debt <> 0
     GROUP BY t.id;
