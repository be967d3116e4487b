package license_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/license-manager/license-manager/internal/license"
	"github.com/license-manager/license-manager/internal/seal"
	"github.com/license-manager/license-manager/internal/store"
	"github.com/license-manager/license-manager/internal/store/sqlite"
	"github.com/license-manager/license-manager/internal/testclock"
	"github.com/license-manager/license-manager/internal/token"
)

const (
	seller = "111122223333"
	buyer  = "444455556666"
	other  = "777788889999"
	sku    = "SKU-EXAMPLE"
)

// keys is one PS384 key for every test: generating an RSA key per test
// would dominate the package's run time.
var keys = sync.OnceValue(func() *token.KeySet {
	k, err := token.NewKey(token.PS384)
	if err != nil {
		panic(err)
	}
	return token.NewKeySet(k)
})

type fixture struct {
	svc   *license.Service
	path  string
	clock *testclock.Clock
	seal  *seal.Sealer
}

var start = time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	sealer, err := seal.Load(filepath.Join(dir, "sealing-key"))
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{path: filepath.Join(dir, "db.sqlite"), clock: testclock.New(start), seal: sealer}
	f.open(t)
	return f
}

// open (re)opens the store file, as a restarted server would.
func (f *fixture) open(t *testing.T) {
	t.Helper()
	st, err := sqlite.Open(t.Context(), f.path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f.svc = &license.Service{Store: st, Keys: keys(), Issuer: "http://127.0.0.1:8080", Now: f.clock.Now, Sealer: f.seal}
}

func ptr[T any](v T) *T { return &v }

// spec is a license of seller for buyer: 10 seats, a Pro feature.
func spec() license.Spec {
	return license.Spec{
		Name: "Example", ProductName: "Example Product", ProductSKU: sku, Beneficiary: buyer,
		IssuerName: "Acme", HomeRegion: "us-east-1",
		ValidityBegin: "2026-01-01T00:00:00Z", Begin: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		ValidityEnd: "2027-01-01T00:00:00Z", End: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
		Entitlements: []store.Entitlement{
			{Name: "Seats", Unit: "Count", MaxCount: ptr(int64(10)), AllowCheckIn: ptr(true)},
			{Name: "Pro", Unit: "None", Value: ptr("enabled"), AllowCheckIn: ptr(true)},
		},
		Consumption: store.ConsumptionConfig{RenewType: "None", ProvisionalTTL: ptr(int64(60))},
	}
}

func (f *fixture) create(t *testing.T, s license.Spec, ct string) string {
	t.Helper()
	out, err := f.svc.CreateLicense(t.Context(), license.Caller{Account: seller}, s, ct)
	if err != nil {
		t.Fatal(err)
	}
	return out.ARN
}

var fingerprint = license.Fingerprint(seller, "Acme")

func seat(n string) []license.Requested {
	return []license.Requested{{Name: "Seats", Value: n, Unit: "Count"}}
}

func (f *fixture) checkout(t *testing.T, c license.Caller, kind, ct string, ents []license.Requested) (license.Checkout, error) {
	t.Helper()
	return f.svc.CheckoutLicense(t.Context(), c, license.CheckoutRequest{
		ProductSKU: sku, CheckoutType: kind, KeyFingerprint: fingerprint, Entitlements: ents, ClientToken: ct,
	})
}

func (f *fixture) used(t *testing.T, arn, name string) int64 {
	t.Helper()
	usage, err := f.svc.Usage(t.Context(), license.Caller{Account: buyer}, arn)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range usage {
		if u.Name == name {
			return u.Consumed
		}
	}
	t.Fatalf("no usage of %s in %+v", name, usage)
	return 0
}

func wantCode(t *testing.T, err error, code license.Code) *license.Error {
	t.Helper()
	var le *license.Error
	if !errors.As(err, &le) || le.Code != code {
		t.Fatalf("error = %v, want a license.Error with code %d", err, code)
	}
	return le
}

var buyerCaller = license.Caller{Account: buyer, ARN: "arn:aws:iam::" + buyer + ":root"}

func TestCreateLicense(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	out, err := f.svc.CreateLicense(t.Context(), license.Caller{Account: seller}, spec(), "ct-1")
	if err != nil {
		t.Fatal(err)
	}
	if out.Status != "AVAILABLE" || out.Version != "1" {
		t.Errorf("CreateLicense = %+v, want AVAILABLE version 1", out)
	}
	again, err := f.svc.CreateLicense(t.Context(), license.Caller{Account: seller}, spec(), "ct-1")
	if err != nil || again != out {
		t.Errorf("retry = %+v, %v; want the first reply %+v", again, err, out)
	}
	changed := spec()
	changed.Name = "Other"
	if _, err := f.svc.CreateLicense(t.Context(), license.Caller{Account: seller}, changed, "ct-1"); !errors.Is(err, license.ErrClientTokenReused) {
		t.Errorf("reuse with other parameters = %v, want ErrClientTokenReused", err)
	}

	for _, c := range []license.Caller{{Account: seller}, {Account: buyer}} {
		l, err := f.svc.GetLicense(t.Context(), c, out.ARN, "")
		if err != nil {
			t.Fatal(err)
		}
		if l.KeyFingerprint != "aws:"+seller+":Acme:issuer-fingerprint" || l.AccountID != seller || l.Version != 1 {
			t.Errorf("GetLicense as %s = %+v", c.Account, l)
		}
	}
	_, err = f.svc.GetLicense(t.Context(), license.Caller{Account: other}, out.ARN, "")
	wantCode(t, err, license.InvalidParameter)

	if err := f.svc.CheckForToken(t.Context(), buyer, out.ARN); err != nil {
		t.Errorf("CheckForToken(beneficiary) = %v", err)
	}
	wantCode(t, f.svc.CheckForToken(t.Context(), other, out.ARN), license.NotFound)
	f.clock.Set(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	wantCode(t, f.svc.CheckForToken(t.Context(), buyer, out.ARN), license.NotFound)
	l, err := f.svc.GetLicense(t.Context(), buyerCaller, out.ARN, "")
	if err != nil || license.ReportedStatus(l, f.clock.Now()) != "EXPIRED" {
		t.Errorf("status past validity = %v, %v; want EXPIRED", license.ReportedStatus(l, f.clock.Now()), err)
	}
}

// 100 parallel checkouts of one seat against MaxCount 10 grant exactly 10,
// and the count survives a restart.
func TestCheckoutExactUnderConcurrency(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	arn := f.create(t, spec(), "ct")
	const n = 100
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, errs[i] = f.checkout(t, buyerCaller, "PROVISIONAL", fmt.Sprintf("ct-%d", i), seat("1"))
		})
	}
	wg.Wait()
	granted := 0
	for _, err := range errs {
		switch {
		case err == nil:
			granted++
		default:
			wantCode(t, err, license.NoEntitlements)
		}
	}
	if granted != 10 || f.used(t, arn, "Seats") != 10 {
		t.Fatalf("granted %d, usage %d; want 10 and 10", granted, f.used(t, arn, "Seats"))
	}
	f.open(t)
	if got := f.used(t, arn, "Seats"); got != 10 {
		t.Errorf("usage after reopening = %d, want 10", got)
	}
}

func TestProvisionalExpiryAndExtension(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	arn := f.create(t, spec(), "ct")
	co, err := f.checkout(t, buyerCaller, "PROVISIONAL", "a", seat("4"))
	if err != nil {
		t.Fatal(err)
	}
	if want := start.Add(time.Hour); !co.Expiration.Equal(want) {
		t.Errorf("Expiration = %v, want %v", co.Expiration, want)
	}
	f.clock.Add(50 * time.Minute)
	dry, err := f.svc.Extend(t.Context(), buyerCaller, co.ConsumptionToken, true)
	if err != nil || !dry.Expiration.Equal(start.Add(110*time.Minute)) {
		t.Fatalf("dry run = %+v, %v", dry, err)
	}
	f.clock.Add(10 * time.Minute) // the dry run changed nothing: it expires now
	if got := f.used(t, arn, "Seats"); got != 0 {
		t.Errorf("usage at expiry after a dry run = %d, want 0", got)
	}
	_, err = f.svc.Extend(t.Context(), buyerCaller, co.ConsumptionToken, false)
	wantCode(t, err, license.NotFound)

	co, err = f.checkout(t, buyerCaller, "PROVISIONAL", "b", seat("4"))
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Add(59 * time.Minute)
	ext, err := f.svc.Extend(t.Context(), buyerCaller, co.ConsumptionToken, false)
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Add(30 * time.Minute)
	if got := f.used(t, arn, "Seats"); got != 4 {
		t.Errorf("usage after extension = %d, want 4 (expires %v)", got, ext.Expiration)
	}
	if err := f.svc.CheckIn(t.Context(), buyerCaller, co.ConsumptionToken, ""); err != nil {
		t.Fatal(err)
	}
	if got := f.used(t, arn, "Seats"); got != 0 {
		t.Errorf("usage after check-in = %d, want 0", got)
	}
	wantCode(t, f.svc.CheckIn(t.Context(), buyerCaller, co.ConsumptionToken, ""), license.Conflict)
}

func TestPerpetualCheckIn(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	s := spec()
	s.Entitlements[0].AllowCheckIn = ptr(false)
	arn := f.create(t, s, "ct")
	co, err := f.checkout(t, buyerCaller, "PERPETUAL", "p", seat("2"))
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Add(400 * 24 * time.Hour / 2)
	if got := f.used(t, arn, "Seats"); got != 2 {
		t.Errorf("perpetual usage later = %d, want 2", got)
	}
	le := wantCode(t, f.svc.CheckIn(t.Context(), buyerCaller, co.ConsumptionToken, ""), license.Conflict)
	t.Log(le.Message)
	_, err = f.svc.Extend(t.Context(), buyerCaller, co.ConsumptionToken, false)
	wantCode(t, err, license.Invalid)
}

// BR-30: with two licenses of one SKU and fingerprint, the newest is
// charged, and the older one only once the newest cannot grant.
func TestCheckoutSelection(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	old := f.create(t, spec(), "l1")
	// Within one second, which the reported times do not tell apart.
	f.clock.Add(time.Millisecond)
	newest := f.create(t, spec(), "l2")
	for i := range 2 {
		co, err := f.checkout(t, buyerCaller, "PROVISIONAL", fmt.Sprintf("br30-%d", i), seat("1"))
		if err != nil || co.LicenseARN != newest {
			t.Fatalf("checkout %d = %s, %v; want %s", i, co.LicenseARN, err, newest)
		}
	}
	if f.used(t, old, "Seats") != 0 || f.used(t, newest, "Seats") != 2 {
		t.Errorf("usage old %d newest %d, want 0 and 2", f.used(t, old, "Seats"), f.used(t, newest, "Seats"))
	}
	co, err := f.checkout(t, buyerCaller, "PROVISIONAL", "big", seat("9"))
	if err != nil || co.LicenseARN != old {
		t.Errorf("checkout of 9 = %s, %v; want the older license %s", co.LicenseARN, err, old)
	}
}

func TestTemporaryCredentialsActOnTheirLicense(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	arn := f.create(t, spec(), "l1")
	s2 := spec()
	s2.ProductSKU = "SKU-OTHER"
	arn2 := f.create(t, s2, "l2")
	role := license.Caller{Account: buyer, License: arn, ARN: "arn:aws:sts::" + buyer + ":assumed-role/App/s"}
	if _, err := f.checkout(t, role, "PROVISIONAL", "ok", seat("1")); err != nil {
		t.Fatal(err)
	}
	_, err := f.svc.CheckoutLicense(t.Context(), role, license.CheckoutRequest{
		ProductSKU: "SKU-OTHER", CheckoutType: "PROVISIONAL", KeyFingerprint: fingerprint, Entitlements: seat("1"), ClientToken: "no",
	})
	wantCode(t, err, license.AccessDenied)
	_, err = f.svc.GetLicense(t.Context(), role, arn2, "")
	wantCode(t, err, license.AccessDenied)
	_, err = f.svc.Usage(t.Context(), role, arn2)
	wantCode(t, err, license.AccessDenied)
	_, err = f.svc.CreateLicense(t.Context(), role, spec(), "x")
	wantCode(t, err, license.AccessDenied)
}

// Temporary credentials outlive their license's deletion: they read it
// DELETED and can check nothing out.
func TestTemporaryCredentialsAfterDeleteLicense(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	arn := f.create(t, spec(), "l1")
	role := license.Caller{Account: buyer, License: arn, ARN: "arn:aws:sts::" + buyer + ":assumed-role/App/s"}
	if _, err := f.svc.DeleteLicense(t.Context(), license.Caller{Account: seller}, arn, "1"); err != nil {
		t.Fatal(err)
	}
	l, err := f.svc.GetLicense(t.Context(), role, arn, "")
	if err != nil || l.Status != store.LicenseDeleted {
		t.Errorf("GetLicense after DeleteLicense = %s, %v; want DELETED", l.Status, err)
	}
	if _, err := f.checkout(t, role, "PROVISIONAL", "after", seat("1")); err == nil {
		t.Error("checkout of a deleted license succeeded")
	}
}

// BR-29: each unmet condition of a borrow has its own error and message.
func TestBorrow(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	provisional := f.create(t, spec(), "p")
	borrowSpec := spec()
	borrowSpec.Consumption.Borrow = &store.BorrowConfig{AllowEarlyCheckIn: true, MaxTTL: 1440}
	borrow := f.create(t, borrowSpec, "b")
	noCheckIn := borrowSpec
	noCheckIn.Entitlements = []store.Entitlement{{Name: "Seats", Unit: "Count", MaxCount: ptr(int64(3))}}
	noCheckInARN := f.create(t, noCheckIn, "n")

	all := []license.Requested{{Name: "Seats", Value: "1", Unit: "Count"}, {Name: "Pro", Unit: "None"}}
	req := func(arn, method string, ents []license.Requested) license.BorrowRequest {
		return license.BorrowRequest{LicenseARN: arn, Entitlements: ents, DigitalSignatureMethod: method, ClientToken: "1", NodeID: "node-1",
			Metadata: []store.Metadata{{Name: "host", Value: "laptop"}}}
	}
	_, err := f.svc.CheckoutBorrowLicense(t.Context(), buyerCaller, req(provisional, "JWT_PS384", all))
	t.Log(wantCode(t, err, license.NoEntitlements).Message)
	_, err = f.svc.CheckoutBorrowLicense(t.Context(), buyerCaller, req(noCheckInARN, "JWT_PS384", seat("1")))
	t.Log(wantCode(t, err, license.EntitlementNotAllowed).Message)
	_, err = f.svc.CheckoutBorrowLicense(t.Context(), buyerCaller, req(borrow, "JWT_PS384", seat("1")))
	t.Log(wantCode(t, err, license.Invalid).Message)
	_, err = f.svc.CheckoutBorrowLicense(t.Context(), buyerCaller, req(borrow, "JWT_RS256", all))
	wantCode(t, err, license.UnsupportedSignature)

	co, err := f.svc.CheckoutBorrowLicense(t.Context(), buyerCaller, req(borrow, "JWT_PS384", all))
	if err != nil {
		t.Fatal(err)
	}
	again, err := f.svc.CheckoutBorrowLicense(t.Context(), buyerCaller, req(borrow, "JWT_PS384", all))
	if err != nil || again.SignedToken != co.SignedToken || again.ConsumptionToken != co.ConsumptionToken {
		t.Errorf("retry with client token 1 did not replay: %v", err)
	}
	if want := start.Add(24 * time.Hour); !co.Expiration.Equal(want) {
		t.Errorf("borrow Expiration = %v, want %v", co.Expiration, want)
	}
	if f.used(t, borrow, "Seats") != 1 {
		t.Errorf("borrow usage = %d, want 1", f.used(t, borrow, "Seats"))
	}

	tok, err := jwt.ParseSigned(co.SignedToken, []jose.SignatureAlgorithm{jose.PS384})
	if err != nil {
		t.Fatal(err)
	}
	var claims license.Claims
	jwks := keys().JWKS()
	if err := tok.Claims(jwks.Keys[0].Key, &claims); err != nil {
		t.Fatalf("SignedToken does not verify with the JWKS key: %v", err)
	}
	if claims.Audience != borrow || claims.TokenUse != license.UseBorrow || claims.Subject != buyer ||
		claims.NodeID != "node-1" || len(claims.Metadata) != 1 || claims.Expiry != co.Expiration.Unix() {
		t.Errorf("claims = %+v", claims)
	}
	if err := f.svc.CheckIn(t.Context(), buyerCaller, co.ConsumptionToken, ""); err != nil {
		t.Errorf("early check-in of a borrow that allows it = %v", err)
	}
}

func TestVersionsAndDeletion(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	seller := license.Caller{Account: seller}
	arn := f.create(t, spec(), "ct")
	v2 := spec()
	v2.Status = "AVAILABLE"
	v2.Entitlements = []store.Entitlement{{Name: "Seats", Unit: "Count", MaxCount: ptr(int64(20))}}
	_, err := f.svc.CreateLicenseVersion(t.Context(), seller, arn, v2, "7", "v")
	wantCode(t, err, license.Conflict)
	out, err := f.svc.CreateLicenseVersion(t.Context(), seller, arn, v2, "1", "v")
	if err != nil || out.Version != "2" {
		t.Fatalf("CreateLicenseVersion = %+v, %v", out, err)
	}
	first, err := f.svc.GetLicense(t.Context(), seller, arn, "1")
	if err != nil || len(first.Entitlements) != 2 || first.LatestVersion != 2 {
		t.Errorf("version 1 = %+v, %v", first, err)
	}
	for _, v := range []string{"3", "0", "01", "+1", " 1", "x"} {
		_, err = f.svc.GetLicense(t.Context(), seller, arn, v)
		wantCode(t, err, license.InvalidParameter)
	}
	page, err := f.svc.Versions(t.Context(), seller, arn, 1, "")
	if err != nil || len(page.Licenses) != 1 || page.NextToken == "" {
		t.Fatalf("versions page 1 = %+v, %v", page, err)
	}
	page, err = f.svc.Versions(t.Context(), seller, arn, 1, page.NextToken)
	if err != nil || len(page.Licenses) != 1 || page.Licenses[0].Version != 2 || page.NextToken != "" {
		t.Fatalf("versions page 2 = %+v, %v", page, err)
	}

	_, err = f.svc.DeleteLicense(t.Context(), seller, arn, "1")
	wantCode(t, err, license.Conflict)
	_, err = f.svc.DeleteLicense(t.Context(), license.Caller{Account: buyer}, arn, "2")
	wantCode(t, err, license.InvalidParameter)
	del, err := f.svc.DeleteLicense(t.Context(), seller, arn, "2")
	if err != nil || del.Status != "DELETED" || !del.At.Equal(start) {
		t.Fatalf("DeleteLicense = %+v, %v", del, err)
	}
	f.clock.Add(time.Minute)
	again, err := f.svc.DeleteLicense(t.Context(), seller, arn, "2")
	if err != nil || !again.At.Equal(start) {
		t.Errorf("second DeleteLicense = %+v, %v; want the first date", again, err)
	}
	_, err = f.checkout(t, buyerCaller, "PROVISIONAL", "after", seat("1"))
	wantCode(t, err, license.NotFound)
	wantCode(t, f.svc.CheckForToken(t.Context(), buyer, arn), license.NotFound)
}

func TestList(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for i := range 5 {
		s := spec()
		if i%2 == 1 {
			s.ProductSKU = "SKU-ODD"
		}
		f.create(t, s, fmt.Sprintf("ct-%d", i))
	}
	walk := func(c license.Caller, req license.ListRequest) []string {
		var got []string
		for {
			page, err := f.svc.List(t.Context(), c, req)
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range page.Licenses {
				got = append(got, l.ARN)
			}
			if page.NextToken == "" {
				return got
			}
			req.NextToken = page.NextToken
		}
	}
	if got := walk(license.Caller{Account: seller}, license.ListRequest{MaxResults: 2}); len(got) != 5 {
		t.Errorf("ListLicenses walked %d licenses, want 5", len(got))
	}
	if got := walk(buyerCaller, license.ListRequest{Received: true, ProductSKUs: []string{"SKU-ODD"}, MaxResults: 1}); len(got) != 2 {
		t.Errorf("received SKU-ODD = %v, want 2", got)
	}
	if got := walk(buyerCaller, license.ListRequest{Received: false}); len(got) != 0 {
		t.Errorf("the buyer issued %v, want none", got)
	}
	page, err := f.svc.List(t.Context(), license.Caller{Account: seller}, license.ListRequest{MaxResults: 1})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.List(t.Context(), license.Caller{Account: seller}, license.ListRequest{MaxResults: 1, NextToken: page.NextToken, ProductSKUs: []string{sku}})
	if !errors.Is(err, license.ErrInvalidNextToken) {
		t.Errorf("NextToken of another selection = %v, want ErrInvalidNextToken", err)
	}
}

// BenchmarkCheckout is one provisional checkout of one seat, sequentially,
// on a license with enough seats: the grant decision, the PS384 signature
// and the SQLite write transaction.
func BenchmarkCheckout(b *testing.B) {
	dir := b.TempDir()
	st, err := sqlite.Open(b.Context(), filepath.Join(dir, "db.sqlite"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	svc := &license.Service{Store: st, Keys: keys(), Issuer: "http://127.0.0.1:8080", Now: time.Now}
	s := spec()
	s.Entitlements[0].MaxCount = ptr(int64(b.N + 1))
	s.ValidityEnd, s.End = "", time.Time{}
	if _, err := svc.CreateLicense(b.Context(), license.Caller{Account: seller}, s, "bench"); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := range b.N {
		_, err := svc.CheckoutLicense(b.Context(), buyerCaller, license.CheckoutRequest{
			ProductSKU: sku, CheckoutType: "PROVISIONAL", KeyFingerprint: fingerprint,
			Entitlements: seat("1"), ClientToken: fmt.Sprintf("b-%d", i),
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// Without a limit, the total in use still has to be a 64-bit count: the
// checkout that would overflow it is refused, and usage stays exact.
func TestCheckoutCountOverflow(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	s := spec()
	s.Entitlements[0].MaxCount = nil
	arn := f.create(t, s, "ct")
	if _, err := f.checkout(t, buyerCaller, "PERPETUAL", "a", seat("9223372036854775000")); err != nil {
		t.Fatal(err)
	}
	_, err := f.checkout(t, buyerCaller, "PERPETUAL", "b", seat("1000"))
	wantCode(t, err, license.NoEntitlements)
	if got := f.used(t, arn, "Seats"); got != 9223372036854775000 {
		t.Errorf("usage = %d, want 9223372036854775000", got)
	}
}

// A later version may turn a counted entitlement into a None one while
// checkouts of the counted one are active; a None checkout then counts 1
// under the same name and must not overflow the total either.
func TestCheckoutNoneAfterUnitChangeOverflow(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	s := spec()
	s.Entitlements[0].MaxCount = nil
	arn := f.create(t, s, "ct")
	if _, err := f.checkout(t, buyerCaller, "PERPETUAL", "a", seat("9223372036854775807")); err != nil {
		t.Fatal(err)
	}
	v2 := spec()
	v2.Status = "AVAILABLE"
	v2.Entitlements = []store.Entitlement{{Name: "Seats", Unit: "None", Value: ptr("on")}}
	if _, err := f.svc.CreateLicenseVersion(t.Context(), license.Caller{Account: seller}, arn, v2, "1", "v"); err != nil {
		t.Fatal(err)
	}
	_, err := f.checkout(t, buyerCaller, "PERPETUAL", "b", []license.Requested{{Name: "Seats", Unit: "None"}})
	wantCode(t, err, license.NoEntitlements)
	if got := f.used(t, arn, "Seats"); got != 9223372036854775807 {
		t.Errorf("usage = %d, want 9223372036854775807", got)
	}
}
