-- Payments received: each is one ledger transaction (kind 'payment') crediting the number's
-- balance against 'op:cash'; this row says how the money came.
CREATE TABLE sim_payments (
    txn_id      BIGINT PRIMARY KEY REFERENCES sim_ledger_txns (id),
    msisdn      TEXT NOT NULL,
    -- kaspi | card | terminal | bank_transfer
    channel     TEXT NOT NULL,
    -- The channel's own reference (a payment-order number for bank transfers).
    reference   TEXT NOT NULL,
    amount      BIGINT NOT NULL,
    received_ms BIGINT NOT NULL
);
CREATE INDEX sim_payments_number ON sim_payments (msisdn, received_ms);
