package license

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/license-manager/license-manager/internal/store"
)

// Page sizes of the listings.
const (
	DefaultListSize = 100
	MaxListSize     = 100
)

// scanBatch is how many licenses a listing reads from the store at a time
// while it applies the filters the store cannot (reported status, several
// beneficiaries).
const scanBatch = 200

// ListRequest selects a page of licenses: issued by the caller
// (ListLicenses) or received by it (ListReceivedLicenses). Each non-empty
// filter keeps the licenses whose latest version has one of its values;
// filters combine with AND.
type ListRequest struct {
	Received      bool
	ARNs          []string
	Beneficiaries []string
	ProductSKUs   []string
	Fingerprints  []string
	// Statuses match the reported status (see ReportedStatus).
	Statuses    []string
	IssuerNames []string
	// MaxResults is the page size, 1 to MaxListSize; zero means
	// DefaultListSize.
	MaxResults int
	NextToken  string
}

// Page is one page of licenses (latest versions) in ARN order, or of one
// license's versions in version order. NextToken is empty on the last page.
type Page struct {
	Licenses  []store.License
	NextToken string
}

// List returns a page of the licenses the caller issued or received. Pages
// are cut by ARN, so walking them while licenses are created never repeats
// or skips one that existed throughout. NextToken is sealed for the
// account, the operation and the selection.
func (s *Service) List(ctx context.Context, c Caller, req ListRequest) (Page, error) {
	op := "ListLicenses"
	if req.Received {
		op = "ListReceivedLicenses"
	}
	if c.License != "" {
		return Page{}, c.denied(op, "*")
	}
	limit := pageSize(req.MaxResults)
	purpose := op + ":" + c.Account
	sel := digest(req.ARNs, req.Beneficiaries, req.ProductSKUs, req.Fingerprints, req.Statuses, req.IssuerNames)
	after, err := s.openCursor(purpose, sel, req.NextToken)
	if err != nil {
		return Page{}, err
	}
	now := s.now()
	keep := func(l store.License) bool {
		return in(req.Beneficiaries, l.Beneficiary) && in(req.ProductSKUs, l.ProductSKU) &&
			in(req.Fingerprints, l.KeyFingerprint) && in(req.Statuses, ReportedStatus(l, now)) &&
			in(req.IssuerNames, l.IssuerName)
	}
	q := store.LicenseQuery{ARNs: req.ARNs, Limit: scanBatch}
	if req.Received {
		q.Beneficiary = c.Account
	} else {
		q.AccountID = c.Account
	}
	var found []store.License
	err = s.Store.ViewLicenses(ctx, func(r store.LicenseReader) error {
		found = found[:0]
		q.AfterARN = after
		for len(found) <= limit {
			batch, err := r.Licenses(ctx, q)
			if err != nil {
				return err
			}
			for _, l := range batch {
				if keep(l) {
					found = append(found, l)
				}
			}
			if len(batch) < scanBatch {
				return nil
			}
			q.AfterARN = batch[len(batch)-1].ARN
		}
		return nil
	})
	if err != nil {
		return Page{}, fmt.Errorf("list licenses: %w", err)
	}
	page := Page{Licenses: found}
	if len(found) > limit {
		page.Licenses = found[:limit]
		page.NextToken = s.Sealer.SealCursor(purpose, sel, found[limit-1].ARN)
	}
	return page, nil
}

// Versions returns a page of the versions of a license the caller issued
// or received, oldest first.
func (s *Service) Versions(ctx context.Context, c Caller, arn string, maxResults int, nextToken string) (Page, error) {
	if err := c.mayAct("ListLicenseVersions", arn); err != nil {
		return Page{}, err
	}
	limit := pageSize(maxResults)
	purpose := "ListLicenseVersions:" + c.Account
	sel := digest([]string{arn})
	after, err := s.openCursor(purpose, sel, nextToken)
	if err != nil {
		return Page{}, err
	}
	afterVersion := 0
	if after != "" {
		if afterVersion, err = strconv.Atoi(after); err != nil {
			return Page{}, ErrInvalidNextToken
		}
	}
	var versions []store.License
	err = s.Store.ViewLicenses(ctx, func(r store.LicenseReader) error {
		if _, err := visible(ctx, r, c, arn); err != nil {
			return err
		}
		var err error
		versions, err = r.LicenseVersions(ctx, arn, afterVersion, limit+1)
		return err
	})
	if err != nil {
		return Page{}, fmt.Errorf("list license versions: %w", err)
	}
	page := Page{Licenses: versions}
	if len(versions) > limit {
		page.Licenses = versions[:limit]
		page.NextToken = s.Sealer.SealCursor(purpose, sel, strconv.Itoa(versions[limit-1].Version))
	}
	return page, nil
}

func pageSize(n int) int {
	switch {
	case n <= 0:
		return DefaultListSize
	case n > MaxListSize:
		return MaxListSize
	}
	return n
}

// openCursor returns where the listing continues, "" for the first page.
func (s *Service) openCursor(purpose, sel, nextToken string) (string, error) {
	if nextToken == "" {
		return "", nil
	}
	after, err := s.Sealer.OpenCursor(purpose, sel, nextToken)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrInvalidNextToken, err)
	}
	return after, nil
}

// digest identifies a selection, each list as a set, so that a NextToken
// is only good for the listing it came from.
func digest(lists ...[]string) string {
	norm := make([][]string, len(lists))
	for i, l := range lists {
		norm[i] = slices.Compact(slices.Sorted(slices.Values(l)))
	}
	b, _ := json.Marshal(norm)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:16])
}

// in reports whether v is one of values; an empty list matches everything.
func in(values []string, v string) bool {
	return len(values) == 0 || slices.Contains(values, v)
}
