-- Advance numbers pay their usage as they go: every day the daily billing run takes the
-- usage charges of the month still open, up to that day, from the number's balance (a
-- ledger transaction of kind 'usage', key 'usage:<msisdn>:<last day included>'); this row
-- says how much it has taken for the month and up to when. Closing the month then takes
-- only the rest of the invoice.
CREATE TABLE sim_usage_posted (
    msisdn     TEXT NOT NULL,
    -- The billing month, YYYY-MM.
    month      TEXT NOT NULL,
    -- The usage before this instant is in the balance.
    through_ms BIGINT NOT NULL,
    amount     BIGINT NOT NULL,
    PRIMARY KEY (msisdn, month)
);
