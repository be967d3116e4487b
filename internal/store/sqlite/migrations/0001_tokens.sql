-- Refresh tokens issued by CreateToken and the idempotency records that let
-- a retried CreateToken replay its first reply.
--
-- Times are integer microseconds since the Unix epoch, UTC. Lists are JSON
-- arrays of strings.

CREATE TABLE tokens (
    id          TEXT    NOT NULL PRIMARY KEY,
    account_id  TEXT    NOT NULL,
    license_arn TEXT    NOT NULL,
    role_arns   TEXT    NOT NULL CHECK (json_type(role_arns) = 'array'),
    properties  TEXT    NOT NULL CHECK (json_type(properties) = 'array'),
    status      TEXT    NOT NULL CHECK (status IN ('AVAILABLE', 'DELETED')),
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    deleted_at  INTEGER CHECK ((deleted_at IS NOT NULL) = (status = 'DELETED')),
    -- SHA-256 of the compact JWT; unique so that a bearer token names one row.
    hash        BLOB    NOT NULL UNIQUE
) STRICT;

-- ListTokens reads one account's tokens in id order, a page at a time.
CREATE INDEX tokens_account_id ON tokens (account_id, id);

CREATE TABLE idempotency (
    account_id   TEXT    NOT NULL,
    operation    TEXT    NOT NULL,
    client_token TEXT    NOT NULL,
    request_hash BLOB    NOT NULL,
    resource_id  TEXT    NOT NULL,
    response     BLOB    NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    PRIMARY KEY (account_id, operation, client_token)
) STRICT, WITHOUT ROWID;

-- PurgeIdempotency deletes by expiry.
CREATE INDEX idempotency_expires_at ON idempotency (expires_at);
