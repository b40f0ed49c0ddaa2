-- Secret codes that let a number's user (an employee) into self-care. Only an HMAC of the
-- code is kept; deleting the row ends the code.
CREATE TABLE secret_codes (
    company_id TEXT NOT NULL REFERENCES companies (id),
    msisdn     TEXT NOT NULL,
    code_mac   TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    PRIMARY KEY (company_id, msisdn)
);
