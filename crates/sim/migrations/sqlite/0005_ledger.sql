-- The operator's books. Every change of money is one transaction whose entries sum to zero;
-- a balance is never changed but together with its entry, in the same store transaction.
-- Accounts are named: 'number:<msisdn>' is an advance number's balance (its running balance
-- is sim_subscribers.balance), 'op:opening' the other side of the balances that numbers had
-- when their books were opened.
CREATE TABLE sim_ledger_txns (
    id         INTEGER PRIMARY KEY,
    bin        TEXT NOT NULL,
    -- 'opening' | 'transfer'
    kind       TEXT NOT NULL,
    -- The idempotency key of the request that caused it: a repeated request finds it.
    key        TEXT NOT NULL UNIQUE,
    created_ms BIGINT NOT NULL
);
CREATE INDEX sim_ledger_txns_bin ON sim_ledger_txns (bin, created_ms);

CREATE TABLE sim_ledger_entries (
    id            INTEGER PRIMARY KEY,
    txn_id        BIGINT NOT NULL REFERENCES sim_ledger_txns (id),
    account       TEXT NOT NULL,
    amount        BIGINT NOT NULL,
    -- The account's balance after this entry (number accounts): balance before and after
    -- in a payment history without summing the past.
    balance_after BIGINT
);
CREATE INDEX sim_ledger_entries_account ON sim_ledger_entries (account, txn_id);
CREATE INDEX sim_ledger_entries_txn ON sim_ledger_entries (txn_id);

-- Numbers that existed before the books: one opening transaction per customer.
INSERT INTO sim_ledger_txns (bin, kind, key, created_ms)
    SELECT bin, 'opening', 'opening:' || bin, created_ms FROM sim_customers;
INSERT INTO sim_ledger_entries (txn_id, account, amount, balance_after)
    SELECT t.id, 'number:' || s.msisdn, s.balance, s.balance
      FROM sim_subscribers s
      JOIN sim_accounts a ON a.account_no = s.account_no
      JOIN sim_ledger_txns t ON t.key = 'opening:' || s.bin
     WHERE a.billing = 'advance' AND s.balance <> 0;
INSERT INTO sim_ledger_entries (txn_id, account, amount, balance_after)
    SELECT t.id, 'op:opening', -COALESCE((SELECT SUM(e.amount) FROM sim_ledger_entries e WHERE e.txn_id = t.id), 0), NULL
      FROM sim_ledger_txns t WHERE t.kind = 'opening';
