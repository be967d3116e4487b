package sqlite

import "database/sql"

// licenseColumns are the columns scanLicense reads, in its order: the
// identity from licenses l, the rest from one row of license_versions v.
const licenseColumns = `l.arn, l.account_id, l.beneficiary, l.product_sku, l.created_at,
	l.latest_version, l.tags, v.version, v.created_at, v.status, v.deleted_at, v.name,
	v.product_name, v.issuer_name, v.sign_key, v.key_fingerprint, v.home_region,
	v.validity_begin, v.validity_end, v.begin_at, v.end_at, v.entitlements, v.metadata,
	v.renew_type, v.provisional_ttl, v.borrow_early, v.borrow_ttl`

// versionColumns are the columns of license_versions in the order
// AddLicenseVersion and CreateLicense bind them.
const versionColumns = `arn, version, created_at, status, deleted_at, name, product_name,
	issuer_name, sign_key, key_fingerprint, home_region, validity_begin, validity_end,
	begin_at, end_at, entitlements, metadata, renew_type, provisional_ttl, borrow_early,
	borrow_ttl`

// consumptionColumns are the columns scanConsumption reads, in its order.
const consumptionColumns = `token, license_arn, account_id, type, node_id, metadata,
	issued_at, expires_at, checked_in_at, signed_token`

// licenseReads are the queries of a store.LicenseReader. They are prepared
// twice, on the readers for ViewLicenses and on the writer for
// UpdateLicenses, because a transaction borrows only statements prepared on
// its own database.
type licenseReads struct {
	license         *sql.Stmt // arn
	licenseVersion  *sql.Stmt // arn, version
	licenseVersions *sql.Stmt // arn, after version, limit or -1
	licenseExists   *sql.Stmt // arn
	byIssuer        *sql.Stmt // the parameters of licenseFilter
	byBeneficiary   *sql.Stmt // the parameters of licenseFilter
	match           *sql.Stmt // beneficiary, sku, fingerprint
	usage           *sql.Stmt // arn, time
	consumption     *sql.Stmt // token
	consumed        *sql.Stmt // token
	idempotency     *sql.Stmt // account, operation, client token, time
}

// licenseWrites are the statements of a store.LicenseTx that write, on the
// writer. PutIdempotency shares CreateToken's statement.
type licenseWrites struct {
	identity          *sql.Stmt // arn
	insertLicense     *sql.Stmt
	insertVersion     *sql.Stmt
	bumpVersion       *sql.Stmt // arn, new version
	deleteLicense     *sql.Stmt // arn, deleted at
	insertConsumption *sql.Stmt
	insertConsumed    *sql.Stmt
	updateConsumption *sql.Stmt // token, expires at, checked in at
}

// licenseFilter selects latest versions for store.LicenseQuery, ordered by
// ARN. Its parameters: ?1 account id and ?2 beneficiary (” for any; the
// statement requires one of them), ?3 the ARN to list after, ?4 to ?8 JSON
// arrays of ARNs, SKUs, fingerprints, statuses and issuer names (NULL for
// any), ?9 the limit or -1.
const licenseFilter = `
	AND l.arn > ?3
	AND (?4 IS NULL OR l.arn IN (SELECT value FROM json_each(?4)))
	AND (?5 IS NULL OR l.product_sku IN (SELECT value FROM json_each(?5)))
	AND (?6 IS NULL OR v.key_fingerprint IN (SELECT value FROM json_each(?6)))
	AND (?7 IS NULL OR v.status IN (SELECT value FROM json_each(?7)))
	AND (?8 IS NULL OR v.issuer_name IN (SELECT value FROM json_each(?8)))
	ORDER BY l.arn LIMIT ?9`

func licenseReadQueries(db *sql.DB, r *licenseReads) []query {
	latest := `SELECT ` + licenseColumns + ` FROM licenses l
		JOIN license_versions v ON v.arn = l.arn AND v.version = l.latest_version`
	return []query{
		{db, &r.license, latest + ` WHERE l.arn = ?`},
		{db, &r.licenseVersion, `SELECT ` + licenseColumns + ` FROM licenses l
			JOIN license_versions v ON v.arn = l.arn WHERE l.arn = ?1 AND v.version = ?2`},
		{db, &r.licenseVersions, `SELECT ` + licenseColumns + ` FROM licenses l
			JOIN license_versions v ON v.arn = l.arn WHERE l.arn = ?1 AND v.version > ?2
			ORDER BY v.version LIMIT ?3`},
		{db, &r.licenseExists, `SELECT count(*) FROM licenses WHERE arn = ?`},
		{db, &r.byIssuer, latest + `
			WHERE l.account_id = ?1 AND (?2 = '' OR l.beneficiary = ?2)` + licenseFilter},
		{db, &r.byBeneficiary, latest + `
			WHERE l.beneficiary = ?2 AND (?1 = '' OR l.account_id = ?1)` + licenseFilter},
		{db, &r.match, latest + `
			WHERE l.beneficiary = ? AND l.product_sku = ? AND v.key_fingerprint = ?
			ORDER BY l.created_at DESC, l.arn DESC`},
		// The two conditions on checked_in_at and expires_at are
		// store.Consumption.Active; the first selects the partial index.
		{db, &r.usage, `SELECT e.name, sum(e.amount) FROM consumptions c
			JOIN consumed_entitlements e ON e.token = c.token
			WHERE c.license_arn = ?1 AND c.checked_in_at IS NULL
				AND (c.expires_at IS NULL OR c.expires_at > ?2)
			GROUP BY e.name ORDER BY e.name`},
		{db, &r.consumption, `SELECT ` + consumptionColumns + ` FROM consumptions WHERE token = ?`},
		{db, &r.consumed, `SELECT name, unit, value, amount FROM consumed_entitlements
			WHERE token = ? ORDER BY position`},
		{db, &r.idempotency, `SELECT ` + idempotencyColumns + ` FROM idempotency
			WHERE account_id = ? AND operation = ? AND client_token = ? AND expires_at > ?`},
	}
}

func licenseWriteQueries(db *sql.DB, w *licenseWrites) []query {
	return []query{
		{db, &w.identity, `SELECT account_id, beneficiary, product_sku, created_at,
			latest_version FROM licenses WHERE arn = ?`},
		{db, &w.insertLicense, `INSERT INTO licenses (arn, account_id, beneficiary,
			product_sku, created_at, latest_version, tags) VALUES (?, ?, ?, ?, ?, 1, ?)`},
		{db, &w.insertVersion, `INSERT INTO license_versions (` + versionColumns + `)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{db, &w.bumpVersion, `UPDATE licenses SET latest_version = ?2
			WHERE arn = ?1 AND latest_version = ?2 - 1`},
		// A deleted license keeps its first deletion time.
		{db, &w.deleteLicense, `UPDATE license_versions
			SET status = 'DELETED', deleted_at = coalesce(deleted_at, ?2)
			WHERE arn = ?1 AND version = (SELECT latest_version FROM licenses WHERE arn = ?1)`},
		{db, &w.insertConsumption, `INSERT INTO consumptions (` + consumptionColumns + `)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{db, &w.insertConsumed, `INSERT INTO consumed_entitlements
			(token, position, name, unit, value, amount) VALUES (?, ?, ?, ?, ?, ?)`},
		{db, &w.updateConsumption, `UPDATE consumptions SET expires_at = ?2, checked_in_at = ?3
			WHERE token = ?1`},
	}
}

func (r *licenseReads) all() []*sql.Stmt {
	return []*sql.Stmt{
		r.license, r.licenseVersion, r.licenseVersions, r.licenseExists, r.byIssuer,
		r.byBeneficiary, r.match, r.usage, r.consumption, r.consumed, r.idempotency,
	}
}

func (w *licenseWrites) all() []*sql.Stmt {
	return []*sql.Stmt{
		w.identity, w.insertLicense, w.insertVersion, w.bumpVersion, w.deleteLicense,
		w.insertConsumption, w.insertConsumed, w.updateConsumption,
	}
}
