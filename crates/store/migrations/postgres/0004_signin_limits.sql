-- Sign-in limits lock a key for a while once it has too many failures (per phone and
-- address, per known device, per account's codes); 0 means not locked.
ALTER TABLE auth_attempts ADD COLUMN locked_until_ms BIGINT NOT NULL DEFAULT 0;
