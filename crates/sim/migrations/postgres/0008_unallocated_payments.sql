-- Payments the operator received for a customer but could not put to an account (a bank
-- transfer without a valid account): the money waits in the ledger account
-- 'customer:<bin>:unallocated' (received against 'op:cash') until operator staff allocate
-- it to one of the customer's accounts. The receipt's own row is in sim_payments (neither
-- msisdn nor account_no); this row says whether and where it was allocated.
CREATE TABLE sim_unallocated_payments (
    -- The receipt's ledger transaction (kind 'payment').
    txn_id            BIGINT PRIMARY KEY REFERENCES sim_ledger_txns (id),
    bin               TEXT NOT NULL,
    -- The payment order's number: one unallocated payment per customer and number.
    reference         TEXT NOT NULL,
    amount            BIGINT NOT NULL,
    received_ms       BIGINT NOT NULL,
    -- NULL until allocated; then the account and the allocation's ledger transaction
    -- (kind 'allocation', the customer-level account against the account's).
    allocated_account TEXT,
    allocation_txn    BIGINT REFERENCES sim_ledger_txns (id),
    allocated_ms      BIGINT,
    UNIQUE (bin, reference)
);
CREATE INDEX sim_unallocated_payments_open ON sim_unallocated_payments (bin, allocated_account, received_ms);

-- The daily billing run (overdue invoices put numbers into Blocked / Debt): one row per
-- operator day, claimed by the first instance that runs it.
CREATE TABLE sim_billing_days (
    day        TEXT PRIMARY KEY,
    started_ms BIGINT NOT NULL
);
