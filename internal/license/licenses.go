package license

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/license-manager/license-manager/internal/store"
)

// Created is what CreateLicense and CreateLicenseVersion return.
type Created struct {
	ARN     string `json:"arn"`
	Status  string `json:"status"`
	Version string `json:"version"`
}

// Spec is the content of a license version as a request gives it:
// everything of store.License but its identity (ARN, AccountID, CreatedAt,
// versions, KeyFingerprint, DeletedAt), which the service sets. ProductSKU,
// Beneficiary and Tags count for CreateLicense only.
type Spec = store.License

// CreateLicense records a license issued by the caller's account to
// spec.Beneficiary, as version 1, or replays the reply to the same request
// made with clientToken within IdempotencyWindow.
func (s *Service) CreateLicense(ctx context.Context, c Caller, spec Spec, clientToken string) (Created, error) {
	if c.License != "" {
		return Created{}, c.denied(opCreateLicense, "*")
	}
	now := s.now()
	hash := requestHash(spec)
	var out Created
	err := s.Store.UpdateLicenses(ctx, func(tx store.LicenseTx) error {
		replayed, err := replay(ctx, tx, c.Account, opCreateLicense, clientToken, hash, now, &out)
		if err != nil || replayed {
			return err
		}
		id, err := newHex()
		if err != nil {
			return err
		}
		l := spec
		l.ARN = "arn:aws:license-manager::" + c.Account + ":license:l-" + id
		l.AccountID = c.Account
		// CreatedAt orders checkout candidates newest first (BR-30), so it
		// keeps the clock's precision: two licenses created within one
		// second are still told apart. Reported times are to the second.
		l.CreatedAt = s.Now().UTC()
		l.Version, l.LatestVersion, l.VersionCreatedAt = 1, 1, now
		l.Status = store.LicenseAvailable
		l.DeletedAt = time.Time{}
		l.KeyFingerprint = Fingerprint(c.Account, l.IssuerName)
		if err := tx.CreateLicense(ctx, l); err != nil {
			return err
		}
		out = Created{ARN: l.ARN, Status: ReportedStatus(l, now), Version: "1"}
		return remember(ctx, tx, c.Account, opCreateLicense, clientToken, hash, l.ARN, now, out)
	})
	if err != nil {
		return Created{}, fmt.Errorf("create license: %w", err)
	}
	return out, nil
}

// CreateLicenseVersion records spec as the next version of the caller's
// license. sourceVersion, when not empty, must be the latest version.
// spec.Status must be set; identity fields of spec are ignored.
func (s *Service) CreateLicenseVersion(ctx context.Context, c Caller, arn string, spec Spec, sourceVersion, clientToken string) (Created, error) {
	if c.License != "" {
		return Created{}, c.denied(opCreateLicenseVersion, arn)
	}
	now := s.now()
	hash := requestHash([]any{arn, spec, sourceVersion})
	var out Created
	err := s.Store.UpdateLicenses(ctx, func(tx store.LicenseTx) error {
		replayed, err := replay(ctx, tx, c.Account, opCreateLicenseVersion, clientToken, hash, now, &out)
		if err != nil || replayed {
			return err
		}
		cur, err := tx.License(ctx, arn)
		if errors.Is(err, store.ErrNotFound) || (err == nil && cur.AccountID != c.Account) {
			return refuse(NotFound, "License %s does not exist or was not issued by account %s.", arn, c.Account)
		}
		if err != nil {
			return err
		}
		latest := strconv.Itoa(cur.LatestVersion)
		switch {
		case cur.Status == store.LicenseDeleted:
			return refuse(Conflict, "License %s is deleted; a deleted license cannot get new versions.", arn)
		case sourceVersion != "" && sourceVersion != latest:
			return refuse(Conflict, "SourceVersion %s is not the latest version of license %s (%s); read the license again and retry.", sourceVersion, arn, latest)
		}
		l := spec
		l.ARN, l.AccountID, l.Beneficiary, l.ProductSKU = cur.ARN, cur.AccountID, cur.Beneficiary, cur.ProductSKU
		l.CreatedAt, l.Tags = cur.CreatedAt, cur.Tags
		l.Version = cur.LatestVersion + 1
		l.LatestVersion, l.VersionCreatedAt = l.Version, now
		l.DeletedAt = time.Time{}
		l.KeyFingerprint = Fingerprint(cur.AccountID, l.IssuerName)
		if err := tx.AddLicenseVersion(ctx, l); err != nil {
			return err
		}
		out = Created{ARN: l.ARN, Status: ReportedStatus(l, now), Version: strconv.Itoa(l.Version)}
		return remember(ctx, tx, c.Account, opCreateLicenseVersion, clientToken, hash, l.ARN, now, out)
	})
	if err != nil {
		return Created{}, fmt.Errorf("create license version: %w", err)
	}
	return out, nil
}

// GetLicense returns a version of a license the caller issued or received:
// the latest when version is empty. op names the operation in refusals.
func (s *Service) GetLicense(ctx context.Context, c Caller, arn, version string) (store.License, error) {
	if err := c.mayAct("GetLicense", arn); err != nil {
		return store.License{}, err
	}
	var l store.License
	err := s.Store.ViewLicenses(ctx, func(r store.LicenseReader) error {
		var err error
		l, err = visible(ctx, r, c, arn)
		if err != nil || version == "" {
			return err
		}
		// Versions are the strings "1", "2", ... as the service writes
		// them; "01" or "+1" name none, as they do for SourceVersion.
		n, perr := strconv.Atoi(version)
		if perr == nil && strconv.Itoa(n) != version {
			perr = strconv.ErrSyntax
		}
		if perr == nil && n >= 1 {
			l, err = r.LicenseVersion(ctx, arn, n)
		}
		if perr != nil || n < 1 || errors.Is(err, store.ErrNotFound) {
			return refuse(InvalidParameter, "License %s has no version %s.", arn, strconv.Quote(version))
		}
		return err
	})
	if err != nil {
		return store.License{}, fmt.Errorf("get license: %w", err)
	}
	return l, nil
}

// visible returns the latest version of a license the caller issued or
// received, or the refusal to give for one that does not exist for it.
func visible(ctx context.Context, r store.LicenseReader, c Caller, arn string) (store.License, error) {
	l, err := r.License(ctx, arn)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !c.sees(l)) {
		return store.License{}, refuse(InvalidParameter, "License %s does not exist.", arn)
	}
	return l, err
}

// Deleted is what DeleteLicense returns.
type Deleted struct {
	Status string
	At     time.Time
}

// DeleteLicense marks the caller's license deleted. sourceVersion must be
// its latest version. Deleting a deleted license succeeds and reports the
// first deletion time.
func (s *Service) DeleteLicense(ctx context.Context, c Caller, arn, sourceVersion string) (Deleted, error) {
	if c.License != "" {
		return Deleted{}, c.denied("DeleteLicense", arn)
	}
	now := s.now()
	var out Deleted
	err := s.Store.UpdateLicenses(ctx, func(tx store.LicenseTx) error {
		l, err := tx.License(ctx, arn)
		if errors.Is(err, store.ErrNotFound) || (err == nil && l.AccountID != c.Account) {
			return refuse(InvalidParameter, "License %s does not exist or was not issued by account %s.", arn, c.Account)
		}
		if err != nil {
			return err
		}
		if latest := strconv.Itoa(l.LatestVersion); sourceVersion != latest {
			return refuse(Conflict, "SourceVersion %s is not the latest version of license %s (%s); read the license again and retry.", sourceVersion, arn, latest)
		}
		if l.Status == store.LicenseDeleted {
			out = Deleted{Status: store.LicenseDeleted, At: l.DeletedAt}
			return nil
		}
		if err := tx.DeleteLicense(ctx, arn, now); err != nil {
			return err
		}
		out = Deleted{Status: store.LicenseDeleted, At: now}
		return nil
	})
	if err != nil {
		return Deleted{}, fmt.Errorf("delete license: %w", err)
	}
	return out, nil
}

// CheckForToken reports whether the caller's account may create a token
// for the license: it issued or received it, and the license is neither
// deleted nor past its validity. The refusal is one message whatever the
// reason, so that it tells nothing about other accounts' licenses.
func (s *Service) CheckForToken(ctx context.Context, account, arn string) error {
	now := s.now()
	err := s.Store.ViewLicenses(ctx, func(r store.LicenseReader) error {
		l, err := r.License(ctx, arn)
		if err == nil && (!(Caller{Account: account}).sees(l) || l.Status == store.LicenseDeleted || (!l.End.IsZero() && !now.Before(l.End))) {
			err = store.ErrNotFound
		}
		if errors.Is(err, store.ErrNotFound) {
			return refuse(NotFound, "License %s does not exist or is not available to account %s.", arn, account)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("check license: %w", err)
	}
	return nil
}

// replay looks for the live idempotency record of the request. If there is
// one, it decodes its reply into out and reports true, or returns
// ErrClientTokenReused when the record belongs to other parameters.
func replay(ctx context.Context, tx store.LicenseReader, account, op, clientToken string, hash []byte, now time.Time, out any) (bool, error) {
	rec, err := tx.Idempotency(ctx, account, op, clientToken, now)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return false, nil
	case err != nil:
		return false, err
	case string(rec.RequestHash) != string(hash):
		return false, ErrClientTokenReused
	}
	if err := json.Unmarshal(rec.Response, out); err != nil {
		return false, fmt.Errorf("replay %s %s: %w", op, rec.ResourceID, err)
	}
	return true, nil
}

// remember records the reply to a request made with a client token.
func remember(ctx context.Context, tx store.LicenseTx, account, op, clientToken string, hash []byte, resource string, now time.Time, out any) error {
	resp, err := json.Marshal(out)
	if err != nil {
		return err
	}
	return tx.PutIdempotency(ctx, store.Idempotency{
		AccountID: account, Operation: op, ClientToken: clientToken,
		RequestHash: hash, ResourceID: resource, Response: resp,
		CreatedAt: now, ExpiresAt: now.Add(IdempotencyWindow),
	})
}

// requestHash identifies a request's parameters for the idempotency check.
func requestHash(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		// The request types are plain data; this cannot fail.
		panic(fmt.Sprintf("license: encode request: %v", err))
	}
	h := sha256.Sum256(b)
	return h[:]
}
