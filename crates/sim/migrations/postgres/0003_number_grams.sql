-- Search by any 4+ digits of the number or the account: every run of 4 digits in either,
-- per customer and number. A search reads one run's entries of one customer (about 1 in
-- 700 of its numbers) already in number order, so that a page and its count cost the same
-- at 1,000 numbers as at 1,000,000, and the same on both engines. Written by whoever adds
-- numbers (the seed), in the same transaction.
CREATE TABLE sim_number_grams (
    bin    TEXT NOT NULL,
    gram   TEXT NOT NULL,
    msisdn TEXT NOT NULL,
    PRIMARY KEY (bin, gram, msisdn)
);

INSERT INTO sim_number_grams (bin, gram, msisdn)
WITH RECURSIVE p (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM p WHERE i < 20)
SELECT bin, gram, msisdn FROM (
    SELECT s.bin AS bin, substr(s.msisdn, p.i, 4) AS gram, s.msisdn AS msisdn
    FROM sim_subscribers s, p WHERE p.i <= length(s.msisdn) - 3
    UNION
    SELECT s.bin, substr(s.account_no, p.i, 4), s.msisdn
    FROM sim_subscribers s, p WHERE p.i <= length(s.account_no) - 3
) g;

-- The index this replaces.
DROP INDEX sim_subscribers_msisdn_trgm;
DROP INDEX sim_subscribers_account_trgm;
