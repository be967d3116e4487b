package token_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/license-manager/license-manager/internal/seal"
	"github.com/license-manager/license-manager/internal/token"
)

// createN issues n tokens for the account, odd ones on lic2, and returns
// their ids in id order.
func (f *fixture) createN(t *testing.T, acct string, n int) []string {
	t.Helper()
	var ids []string
	for i := range n {
		req := request(fmt.Sprintf("ct-list-%d", i))
		req.AccountID = acct
		if i%2 == 1 {
			req.LicenseARN = lic2
		}
		ids = append(ids, f.create(t, req).ID)
	}
	slices.Sort(ids)
	return ids
}

// walk lists every page of req and returns the ids in order and the number
// of pages.
func (f *fixture) walk(t *testing.T, req token.ListRequest) ([]string, int) {
	t.Helper()
	var ids []string
	for pages := 1; ; pages++ {
		page, err := f.svc.List(t.Context(), req)
		if err != nil {
			t.Fatalf("List(%+v) = %v", req, err)
		}
		if req.MaxResults > 0 && len(page.Tokens) > req.MaxResults {
			t.Fatalf("page of %d tokens, MaxResults %d", len(page.Tokens), req.MaxResults)
		}
		for _, tok := range page.Tokens {
			ids = append(ids, tok.ID)
		}
		if page.NextToken == "" {
			return ids, pages
		}
		if len(page.Tokens) == 0 {
			t.Fatal("an empty page with a NextToken")
		}
		req.NextToken = page.NextToken
	}
}

func TestListPages(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	all := f.createN(t, account, 7)
	f.createN(t, "210987654321", 3)
	if err := f.svc.Delete(t.Context(), account, all[2]); err != nil {
		t.Fatal(err)
	}
	onLic2 := func() []string {
		var ids []string
		for _, id := range all {
			tok, _ := f.store.Token(t.Context(), account, id)
			if tok.LicenseARN == lic2 {
				ids = append(ids, id)
			}
		}
		return ids
	}()
	tests := []struct {
		name  string
		req   token.ListRequest
		want  []string
		pages int
	}{
		{"default page size", token.ListRequest{AccountID: account}, all, 1},
		{"pages of one", token.ListRequest{AccountID: account, MaxResults: 1}, all, 7},
		{"pages of three", token.ListRequest{AccountID: account, MaxResults: 3}, all, 3},
		// No NextToken when the last page is exactly full.
		{"one page exactly", token.ListRequest{AccountID: account, MaxResults: 7}, all, 1},
		{"a license", token.ListRequest{AccountID: account, LicenseARN: lic2, MaxResults: 2}, onLic2, 2},
		{"ids", token.ListRequest{AccountID: account, IDs: []string{all[5], all[0], "nope", all[2]}, MaxResults: 2},
			[]string{all[0], all[2], all[5]}, 2},
		{"nothing", token.ListRequest{AccountID: "999999999999"}, nil, 1},
	}
	for _, tt := range tests {
		got, pages := f.walk(t, tt.req)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: ids (-want +got):\n%s", tt.name, diff)
		}
		if pages != tt.pages {
			t.Errorf("%s: %d pages, want %d", tt.name, pages, tt.pages)
		}
	}
}

func TestListDefaultSize(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	all := f.createN(t, account, token.DefaultListSize+1)
	page, err := f.svc.List(t.Context(), token.ListRequest{AccountID: account})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Tokens) != token.DefaultListSize || page.NextToken == "" {
		t.Fatalf("first page: %d tokens, NextToken %q; want %d and a NextToken", len(page.Tokens), page.NextToken, token.DefaultListSize)
	}
	// MaxResults may change from page to page.
	rest, err := f.svc.List(t.Context(), token.ListRequest{AccountID: account, MaxResults: 5, NextToken: page.NextToken})
	if err != nil {
		t.Fatal(err)
	}
	if len(rest.Tokens) != 1 || rest.Tokens[0].ID != all[len(all)-1] || rest.NextToken != "" {
		t.Errorf("second page = %+v, want the last token alone", rest)
	}
}

// A NextToken is good only for the account and the selection it was made
// for, and only unaltered.
func TestListRefusesOtherNextTokens(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ids := f.createN(t, account, 4)
	f.createN(t, "210987654321", 4)
	first, err := f.svc.List(t.Context(), token.ListRequest{AccountID: account, MaxResults: 2})
	if err != nil || first.NextToken == "" {
		t.Fatalf("List = %+v, %v", first, err)
	}
	next := first.NextToken
	withLicense, err := f.svc.List(t.Context(), token.ListRequest{AccountID: account, LicenseARN: lic, MaxResults: 1})
	if err != nil || withLicense.NextToken == "" {
		t.Fatalf("List = %+v, %v", withLicense, err)
	}
	otherKey, err := seal.Load(filepath.Join(t.TempDir(), "sealing-key"))
	if err != nil {
		t.Fatal(err)
	}
	forged := otherKey.Seal("ListTokens:"+account, []byte(`{"after":"","sel":""}`))
	flipped := []byte(next)
	flipped[len(flipped)/2] ^= 1

	tests := []struct {
		name string
		req  token.ListRequest
	}{
		{"another account", token.ListRequest{AccountID: "210987654321", NextToken: next}},
		{"a license filter added", token.ListRequest{AccountID: account, LicenseARN: lic, NextToken: next}},
		{"a license filter dropped", token.ListRequest{AccountID: account, NextToken: withLicense.NextToken}},
		{"another license", token.ListRequest{AccountID: account, LicenseARN: lic2, NextToken: withLicense.NextToken}},
		{"token ids added", token.ListRequest{AccountID: account, IDs: ids[:1], NextToken: next}},
		{"a byte changed", token.ListRequest{AccountID: account, NextToken: string(flipped)}},
		{"truncated", token.ListRequest{AccountID: account, NextToken: next[:len(next)-2]}},
		{"sealed with another key", token.ListRequest{AccountID: account, NextToken: forged}},
		{"made up", token.ListRequest{AccountID: account, NextToken: "eyJhZnRlciI6IiJ9"}},
		{"a token id", token.ListRequest{AccountID: account, NextToken: ids[1]}},
	}
	for _, tt := range tests {
		if page, err := f.svc.List(t.Context(), tt.req); !errors.Is(err, token.ErrInvalidNextToken) {
			t.Errorf("%s: List = %d tokens, %v; want ErrInvalidNextToken", tt.name, len(page.Tokens), err)
		}
	}
	// The same ids in another order are the same selection.
	a, err := f.svc.List(t.Context(), token.ListRequest{AccountID: account, IDs: []string{ids[0], ids[1], ids[2]}, MaxResults: 1})
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.svc.List(t.Context(), token.ListRequest{AccountID: account, IDs: []string{ids[2], ids[0], ids[1], ids[0]}, NextToken: a.NextToken})
	if err != nil || len(b.Tokens) != 2 {
		t.Errorf("reordered ids: List = %+v, %v; want the two remaining tokens", b, err)
	}
}
