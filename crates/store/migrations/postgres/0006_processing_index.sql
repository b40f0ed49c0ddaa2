-- The requests still waiting for the operator, per company: the numbers list asks for them
-- beside every page, and there are only ever a few, so a partial index keeps that a lookup.
CREATE INDEX actions_processing ON actions (company_id, msisdn) WHERE status = 'processing';
