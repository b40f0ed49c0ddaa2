-- One waiting request per company and phone, kept by the store: two identical requests
-- sent at once used to pass the check-then-insert both.
CREATE UNIQUE INDEX access_requests_waiting ON access_requests (bin, phone) WHERE state = 'pending';
