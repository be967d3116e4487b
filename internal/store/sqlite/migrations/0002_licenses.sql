-- Licenses, their versions, and the consumptions checked out of them.
-- Idempotency records of the license operations go in the idempotency
-- table of 0001.
--
-- Times are integer microseconds since the Unix epoch, UTC; NULL marks an
-- absent time. Lists are JSON arrays: of strings, or of objects whose keys
-- are written in licenses.go.

-- The identity of a license: what every version shares.
CREATE TABLE licenses (
    arn            TEXT    NOT NULL PRIMARY KEY,
    account_id     TEXT    NOT NULL, -- the issuer
    beneficiary    TEXT    NOT NULL,
    product_sku    TEXT    NOT NULL,
    created_at     INTEGER NOT NULL,
    latest_version INTEGER NOT NULL CHECK (latest_version >= 1),
    tags           TEXT    NOT NULL CHECK (json_type(tags) = 'array')
) STRICT;

-- ListLicenses reads the licenses an account issued in ARN order,
-- ListReceivedLicenses those it received.
CREATE INDEX licenses_account_id ON licenses (account_id, arn);
CREATE INDEX licenses_beneficiary ON licenses (beneficiary, arn);

-- CheckoutLicense looks for a beneficiary's licenses of one SKU, newest
-- first; the key fingerprint is then checked on the latest version, found
-- by its primary key.
CREATE INDEX licenses_match ON licenses (beneficiary, product_sku, created_at, arn);

-- One row per version; a version never changes except that DeleteLicense
-- marks the latest one deleted.
CREATE TABLE license_versions (
    arn             TEXT    NOT NULL REFERENCES licenses (arn),
    version         INTEGER NOT NULL CHECK (version >= 1),
    created_at      INTEGER NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('AVAILABLE', 'PENDING_AVAILABLE',
                        'DEACTIVATED', 'SUSPENDED', 'EXPIRED', 'PENDING_DELETE', 'DELETED')),
    deleted_at      INTEGER CHECK ((deleted_at IS NOT NULL) = (status = 'DELETED')),
    name            TEXT    NOT NULL,
    product_name    TEXT    NOT NULL,
    issuer_name     TEXT    NOT NULL,
    sign_key        TEXT    NOT NULL,
    key_fingerprint TEXT    NOT NULL,
    home_region     TEXT    NOT NULL,
    -- Validity as the caller wrote it ('' when absent) and as instants.
    validity_begin  TEXT    NOT NULL,
    validity_end    TEXT    NOT NULL,
    begin_at        INTEGER,
    end_at          INTEGER,
    entitlements    TEXT    NOT NULL CHECK (json_type(entitlements) = 'array'),
    metadata        TEXT    NOT NULL CHECK (json_type(metadata) = 'array'),
    -- ConsumptionConfiguration; renew_type is '' when absent, the others
    -- NULL. Both borrow columns are set, or neither.
    renew_type      TEXT    NOT NULL,
    provisional_ttl INTEGER,
    borrow_early    INTEGER CHECK (borrow_early IN (0, 1)),
    borrow_ttl      INTEGER,
    CHECK ((borrow_early IS NULL) = (borrow_ttl IS NULL)),
    PRIMARY KEY (arn, version)
) STRICT;

-- A checkout: active while checked_in_at is NULL and expires_at is NULL
-- or later than now.
CREATE TABLE consumptions (
    token         TEXT    NOT NULL PRIMARY KEY,
    license_arn   TEXT    NOT NULL REFERENCES licenses (arn),
    account_id    TEXT    NOT NULL,
    type          TEXT    NOT NULL CHECK (type IN ('PROVISIONAL', 'PERPETUAL', 'BORROW')),
    node_id       TEXT    NOT NULL,
    metadata      TEXT    NOT NULL CHECK (json_type(metadata) = 'array'),
    issued_at     INTEGER NOT NULL,
    expires_at    INTEGER,
    checked_in_at INTEGER,
    signed_token  TEXT    NOT NULL
) STRICT;

-- Usage sums the entitlements of a license's consumptions that are not
-- checked in, skipping the expired ones by expires_at.
CREATE INDEX consumptions_active ON consumptions (license_arn, expires_at)
    WHERE checked_in_at IS NULL;

-- What each consumption took, in the order of the checkout. A request may
-- name an entitlement twice, so the position, not the name, is the key.
CREATE TABLE consumed_entitlements (
    token    TEXT    NOT NULL REFERENCES consumptions (token),
    position INTEGER NOT NULL CHECK (position >= 0),
    name     TEXT    NOT NULL,
    unit     TEXT    NOT NULL,
    value    TEXT    NOT NULL,
    amount   INTEGER NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (token, position)
) STRICT, WITHOUT ROWID;
