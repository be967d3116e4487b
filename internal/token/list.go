package token

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/license-manager/license-manager/internal/store"
)

// Page sizes of List.
const (
	// DefaultListSize is the page size when the request gives none.
	DefaultListSize = 100
	// MaxListSize is the largest page List returns.
	MaxListSize = 100
)

// ErrInvalidNextToken means a NextToken was not made by List for the same
// account and the same selection, or was altered.
var ErrInvalidNextToken = errors.New("invalid next token")

// ListRequest selects one page of an account's refresh tokens.
type ListRequest struct {
	AccountID string
	// IDs, when not empty, restricts the result to these token ids.
	IDs []string
	// LicenseARN, when not empty, restricts the result to that license.
	LicenseARN string
	// MaxResults is the page size, from 1 to MaxListSize; zero means
	// DefaultListSize.
	MaxResults int
	// NextToken continues a listing where the previous page ended.
	NextToken string
}

// ListPage is one page of tokens, in token id order. NextToken is empty on
// the last page.
type ListPage struct {
	Tokens    []store.Token
	NextToken string
}

// List returns a page of the account's refresh tokens, deleted ones
// included. Pages are cut by token id (keyset pagination), so walking them
// while tokens are created and deleted never repeats a token and never
// skips one that existed throughout. The NextToken is sealed for the
// account and bound to IDs and LicenseARN: one that was altered, or made
// for another account or another selection, is ErrInvalidNextToken.
// MaxResults may differ from page to page.
func (s *Service) List(ctx context.Context, req ListRequest) (ListPage, error) {
	limit := req.MaxResults
	switch {
	case limit <= 0:
		limit = DefaultListSize
	case limit > MaxListSize:
		limit = MaxListSize
	}
	if s.Sealer == nil {
		return ListPage{}, errors.New("list tokens: no sealer for NextToken")
	}
	purpose := "ListTokens:" + req.AccountID
	sel := selection(req)
	var after string
	if req.NextToken != "" {
		var err error
		if after, err = s.Sealer.OpenCursor(purpose, sel, req.NextToken); err != nil {
			return ListPage{}, fmt.Errorf("%w: %v", ErrInvalidNextToken, err)
		}
	}
	toks, err := s.Store.ListTokens(ctx, store.TokenQuery{
		AccountID:  req.AccountID,
		IDs:        req.IDs,
		LicenseARN: req.LicenseARN,
		AfterID:    after,
		Limit:      limit + 1, // one more tells whether another page follows
	})
	if err != nil {
		return ListPage{}, fmt.Errorf("list tokens: %w", err)
	}
	page := ListPage{Tokens: toks}
	if len(toks) > limit {
		page.Tokens = toks[:limit]
		page.NextToken = s.Sealer.SealCursor(purpose, sel, toks[limit-1].ID)
	}
	return page, nil
}

// selection digests what a listing selects, ids as a set, so that a
// NextToken is only good for the listing it came from.
func selection(req ListRequest) string {
	ids := slices.Compact(slices.Sorted(slices.Values(req.IDs)))
	b, _ := json.Marshal([]any{ids, req.LicenseARN})
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:16])
}

// Delete marks the account's refresh token deleted. From then on
// GetAccessToken refuses it, and VerifyAccess and TokenActive refuse
// everything derived from it. Deleting a deleted token succeeds. An unknown
// id, or another account's, is ErrUnknownToken.
func (s *Service) Delete(ctx context.Context, accountID, id string) error {
	err := s.Store.DeleteToken(ctx, accountID, id, s.Now().UTC().Truncate(time.Microsecond))
	switch {
	case errors.Is(err, store.ErrNotFound):
		return ErrUnknownToken
	case err != nil:
		return fmt.Errorf("delete token: %w", err)
	}
	return nil
}
