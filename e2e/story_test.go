package e2e

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/licensemanager"
	lmtypes "github.com/aws/aws-sdk-go-v2/service/licensemanager/types"
	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/google/go-cmp/cmp"

	"github.com/license-manager/license-manager/internal/config"
	"github.com/license-manager/license-manager/internal/server"
	"github.com/license-manager/license-manager/internal/token"
)

// The managed-entitlements story (issue #4). A seller account issues a
// license to a buyer account (the test account); the buyer creates a token
// for its software; the software, holding only that token, gets temporary
// credentials and with them reads its license, checks a seat out, extends
// and checks it in, and borrows, on its license and no other; deleting the
// token ends all of it. The story runs with boto3 (TestStoryBoto3) and with
// aws-sdk-go-v2 (TestStoryGoSDK), and storyCheck makes the same assertions
// on both records.

// The seller of the story, its key, and what it issues.
const (
	storySeller       = "111122223333"
	storySellerKeyID  = "AKIASELLER0000000001"
	storySellerSecret = "seller-secret"
	storyIssuerName   = "Acme"
	storySignKey      = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	storySKU          = "ACME-ANALYTICS-PRO"
	storyOtherSKU     = "ACME-ANALYTICS-LITE"
	storyFingerprint  = "aws:" + storySeller + ":" + storyIssuerName + ":issuer-fingerprint"
	storyBegin        = "2024-01-01T00:00:00Z"
	storyEnd          = "2099-12-31T23:59:59Z"
)

var (
	storyLicenseARN = storyLicenseARNOf(storySeller)
	storyHex32      = regexp.MustCompile(`^[0-9a-f]{32}$`)
)

// storyLicenseARNOf matches the ARN of a license issued by account.
func storyLicenseARNOf(account string) *regexp.Regexp {
	return regexp.MustCompile(`^arn:aws:license-manager::` + account + `:license:l-[0-9a-f]{32}$`)
}

// openStoryServer runs a server for the story's two accounts, the buyer
// (the test account, whose key clients use by default) and the seller, on
// dataDir, which may hold the data of an earlier server. Its time is now().
// stop shuts it down and closes its store; the test's cleanup calls it if
// the test did not. Clients must close their idle connections before stop,
// or the graceful shutdown waits for them.
func openStoryServer(t *testing.T, dataDir string, now func() time.Time) (ts *testServer, stop func()) {
	t.Helper()
	cfg := config.Default(func(string) string { return "" })
	cfg.DataDir, cfg.Listen, cfg.Issuer = dataDir, "127.0.0.1:0", issuer
	if err := cfg.Validate(); err != nil {
		t.Fatalf("test configuration: %v", err)
	}
	creds := credentialsFile(
		profileKey{"license-manager", accessKeyID, secretAccessKey, account},
		profileKey{"seller", storySellerKeyID, storySellerSecret, storySeller},
	)
	if err := os.WriteFile(cfg.CredentialsPath(), []byte(creds), 0o600); err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, nil))
	inst, err := server.Open(t.Context(), cfg, log, now)
	if err != nil {
		t.Fatalf("server.Open: %v", err)
	}
	srv, err := inst.NewServer(log)
	if err != nil {
		inst.Close()
		t.Fatalf("NewServer: %v", err)
	}
	// The server must outlive t.Context, which ends before Cleanup runs.
	ctx, cancel := context.WithCancel(context.WithoutCancel(t.Context()))
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()
	stop = sync.OnceFunc(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		inst.Close()
	})
	t.Cleanup(stop)
	return &testServer{url: "http://" + srv.Addr(), inst: inst, logs: logs}, stop
}

// storySellerClient is an aws-sdk-go-v2 client signing with the seller's
// key.
func storySellerClient(t *testing.T, ts *testServer, opts ...func(*licensemanager.Options)) *licensemanager.Client {
	t.Helper()
	seller := func(o *licensemanager.Options) {
		o.Credentials = credentials.NewStaticCredentialsProvider(storySellerKeyID, storySellerSecret, "")
	}
	return newSDKClient(t, ts, append([]func(*licensemanager.Options){seller}, opts...)...)
}

// storyEntitlements are the entitlements of the story's licenses: ten
// seats and a feature, both of which allow check-in, as borrowing needs.
func storyEntitlements() []lmtypes.Entitlement {
	return []lmtypes.Entitlement{
		{Name: aws.String("Seats"), MaxCount: aws.Int64(10), Overage: aws.Bool(false),
			Unit: lmtypes.EntitlementUnitCount, AllowCheckIn: aws.Bool(true)},
		{Name: aws.String("AdvancedReports"), Value: aws.String("enabled"),
			Unit: lmtypes.EntitlementUnitNone, AllowCheckIn: aws.Bool(true)},
	}
}

// storySeat is a request for one seat; storyReports, for the feature.
var (
	storySeat    = lmtypes.EntitlementData{Name: aws.String("Seats"), Value: aws.String("1"), Unit: lmtypes.EntitlementDataUnitCount}
	storyReports = lmtypes.EntitlementData{Name: aws.String("AdvancedReports"), Value: aws.String("enabled"), Unit: lmtypes.EntitlementDataUnitNone}
)

// storyConsumption is the consumption configuration of the story's
// licenses, with a provisional time to live of minutes.
func storyConsumption(minutes int32) *lmtypes.ConsumptionConfiguration {
	return &lmtypes.ConsumptionConfiguration{
		RenewType:                lmtypes.RenewTypeMonthly,
		ProvisionalConfiguration: &lmtypes.ProvisionalConfiguration{MaxTimeToLiveInMinutes: aws.Int32(minutes)},
		BorrowConfiguration: &lmtypes.BorrowConfiguration{
			AllowEarlyCheckIn: aws.Bool(true), MaxTimeToLiveInMinutes: aws.Int32(1440),
		},
	}
}

// storyLicenseInput is the seller's CreateLicense request for a license of
// sku: every member of CreateLicenseRequest set. testdata/boto3_story.py
// sends the same.
func storyLicenseInput(sku, clientToken string) *licensemanager.CreateLicenseInput {
	return &licensemanager.CreateLicenseInput{
		LicenseName:              aws.String("Acme Analytics Pro"),
		ProductName:              aws.String("Acme Analytics"),
		ProductSKU:               aws.String(sku),
		Issuer:                   &lmtypes.Issuer{Name: aws.String(storyIssuerName), SignKey: aws.String(storySignKey)},
		HomeRegion:               aws.String(region),
		Validity:                 &lmtypes.DatetimeRange{Begin: aws.String(storyBegin), End: aws.String(storyEnd)},
		Entitlements:             storyEntitlements(),
		Beneficiary:              aws.String(account),
		ConsumptionConfiguration: storyConsumption(60),
		LicenseMetadata:          []lmtypes.Metadata{{Name: aws.String("Edition"), Value: aws.String("Pro")}},
		ClientToken:              aws.String(clientToken),
		Tags:                     []lmtypes.Tag{{Key: aws.String("team"), Value: aws.String("sales")}},
	}
}

// storyVersion2Input is the seller's second version of the license: the
// same, with a provisional time to live of two hours.
func storyVersion2Input(arn string) *licensemanager.CreateLicenseVersionInput {
	in := storyLicenseInput(storySKU, "")
	return &licensemanager.CreateLicenseVersionInput{
		LicenseArn: aws.String(arn), LicenseName: in.LicenseName, ProductName: in.ProductName,
		Issuer: in.Issuer, HomeRegion: in.HomeRegion, Validity: in.Validity,
		LicenseMetadata: in.LicenseMetadata, Entitlements: in.Entitlements,
		ConsumptionConfiguration: storyConsumption(120), Status: lmtypes.LicenseStatusAvailable,
		ClientToken: aws.String("story-version"), SourceVersion: aws.String("1"),
	}
}

// storyLicense is version 1 of the license storyLicenseInput(sku) created,
// as GetLicense reports it, but for CreateTime.
func storyLicense(arn, sku string) lmtypes.License {
	in := storyLicenseInput(sku, "")
	return lmtypes.License{
		LicenseArn: aws.String(arn), LicenseName: in.LicenseName, ProductName: in.ProductName,
		ProductSKU: aws.String(sku),
		Issuer: &lmtypes.IssuerDetails{
			Name: aws.String(storyIssuerName), SignKey: aws.String(storySignKey),
			KeyFingerprint: aws.String(storyFingerprint),
		},
		HomeRegion: in.HomeRegion, Status: lmtypes.LicenseStatusAvailable, Validity: in.Validity,
		Beneficiary: aws.String(account), Entitlements: in.Entitlements,
		ConsumptionConfiguration: in.ConsumptionConfiguration, LicenseMetadata: in.LicenseMetadata,
		Version: aws.String("1"),
	}
}

// storyGranted is l as ListReceivedLicenses reports it to its beneficiary.
func storyGranted(l lmtypes.License, status lmtypes.ReceivedStatus) lmtypes.GrantedLicense {
	return lmtypes.GrantedLicense{
		LicenseArn: l.LicenseArn, LicenseName: l.LicenseName, ProductName: l.ProductName,
		ProductSKU: l.ProductSKU, Issuer: l.Issuer, HomeRegion: l.HomeRegion, Status: l.Status,
		Validity: l.Validity, Beneficiary: l.Beneficiary, Entitlements: l.Entitlements,
		ConsumptionConfiguration: l.ConsumptionConfiguration, LicenseMetadata: l.LicenseMetadata,
		CreateTime: l.CreateTime, Version: l.Version,
		ReceivedMetadata: &lmtypes.ReceivedMetadata{
			ReceivedStatus: status,
			AllowedOperations: []lmtypes.AllowedOperation{
				lmtypes.AllowedOperationCheckoutLicense, lmtypes.AllowedOperationCheckoutBorrowLicense,
				lmtypes.AllowedOperationCheckInLicense, lmtypes.AllowedOperationExtendConsumptionLicense,
				lmtypes.AllowedOperationListPurchasedLicenses, lmtypes.AllowedOperationCreateToken,
			},
		},
	}
}

// storyIgnoreUnexported skips the SDK types' unexported fields, which
// carry no member.
var storyIgnoreUnexported = cmp.FilterPath(func(p cmp.Path) bool {
	sf, ok := p.Last().(cmp.StructField)
	return ok && !unicode.IsUpper([]rune(sf.Name())[0])
}, cmp.Ignore())

// storyDiff reports how got differs from want, the SDK's types compared
// member by member.
func storyDiff(t *testing.T, what string, want, got any) {
	t.Helper()
	if diff := cmp.Diff(want, got, storyIgnoreUnexported); diff != "" {
		t.Errorf("%s (-want +got):\n%s", what, diff)
	}
}

// storyUsage is a GetLicenseUsage reply of the story's license with seats
// and reports consumed.
func storyUsage(seats, reports int) *lmtypes.LicenseUsage {
	return &lmtypes.LicenseUsage{EntitlementUsages: []lmtypes.EntitlementUsage{
		{Name: aws.String("Seats"), ConsumedValue: aws.String(fmt.Sprint(seats)), MaxCount: aws.String("10"),
			Unit: lmtypes.EntitlementDataUnitCount},
		{Name: aws.String("AdvancedReports"), ConsumedValue: aws.String(fmt.Sprint(reports)),
			Unit: lmtypes.EntitlementDataUnitNone},
	}}
}

// storyReply is one step of the story: the reply, or the error.
type storyReply[T any] struct {
	Reply *T
	Error *boto3Error
}

// storyAssumed is what the story keeps of an AssumeRoleWithWebIdentity
// reply.
type storyAssumed struct {
	AccessKeyId, Arn, AssumedRoleId, SubjectFromWebIdentityToken, Audience, Provider string
}

// storyRecord is what one run of the story got, step by step: what
// testdata/boto3_story.py prints, and what TestStoryGoSDK collects.
type storyRecord struct {
	Created, CreatedOther, CreateReplayed storyReply[licensemanager.CreateLicenseOutput]
	Received                              storyReply[licensemanager.ListReceivedLicensesOutput]
	Issued                                storyReply[licensemanager.ListLicensesOutput]
	Token                                 storyReply[licensemanager.CreateTokenOutput]
	Access, AccessAfterDelete             storyReply[licensemanager.GetAccessTokenOutput]
	Assumed, AssumeAfterDelete            storyReply[storyAssumed]
	License, GetOther                     storyReply[licensemanager.GetLicenseOutput]
	Checkout, CheckoutOther               storyReply[licensemanager.CheckoutLicenseOutput]
	UsageCheckedOut, UsageCheckedIn       storyReply[licensemanager.GetLicenseUsageOutput]
	UsageBorrowed                         storyReply[licensemanager.GetLicenseUsageOutput]
	Version2                              storyReply[licensemanager.CreateLicenseVersionOutput]
	ExtendDryRun, Extend                  storyReply[licensemanager.ExtendLicenseConsumptionOutput]
	CheckIn, CheckInAgain                 storyReply[licensemanager.CheckInLicenseOutput]
	Borrow                                storyReply[licensemanager.CheckoutBorrowLicenseOutput]
	DeleteToken                           storyReply[licensemanager.DeleteTokenOutput]
}

// storyOK returns the reply of a step that must have succeeded, failing
// the test if it did not.
func storyOK[T any](t *testing.T, step string, r storyReply[T]) *T {
	t.Helper()
	if r.Error != nil || r.Reply == nil {
		t.Fatalf("%s: %+v, want a reply", step, r.Error)
	}
	return r.Reply
}

// storyRefusal is an error a step must end with.
type storyRefusal struct {
	code, class string
	status      int
	words       []string
}

// lmRefusal is a License Manager error, whose class is named as its code,
// with HTTP status 400.
func lmRefusal(code string, words ...string) storyRefusal {
	return storyRefusal{code: code, class: code, status: 400, words: words}
}

// storyWantError requires the step to have failed with the modeled error,
// with a message holding each of the words, and a request id the server
// logged.
func storyWantError[T any](t *testing.T, ts *testServer, step string, r storyReply[T], want storyRefusal) {
	t.Helper()
	e := r.Error
	if e == nil {
		t.Errorf("%s succeeded: %+v, want %s", step, r.Reply, want.code)
		return
	}
	if !e.Modeled || e.Class != want.class || e.Code != want.code || e.HTTPStatusCode != want.status {
		t.Errorf("%s: %+v, want the modeled %s (%s, %d)", step, *e, want.class, want.code, want.status)
	}
	for _, w := range want.words {
		if !strings.Contains(e.Message, w) {
			t.Errorf("%s: message %q does not say %q", step, e.Message, w)
		}
	}
	if !ts.logged(e.RequestId) {
		t.Errorf("%s: request id %q is not in the server log", step, e.RequestId)
	}
}

// storyTime parses a time the API reports, which is ISO 8601 in UTC to the
// second.
func storyTime(t *testing.T, what string, s *string) time.Time {
	t.Helper()
	v := aws.ToString(s)
	tm, err := time.Parse(time.RFC3339, v)
	if err != nil || !tokISO8601.MatchString(v) || tm.Location() != time.UTC || tm.Nanosecond() != 0 {
		t.Fatalf("%s = %q, want ISO 8601 in UTC to the second (%v)", what, v, err)
	}
	return tm
}

// storyCheckoutClaims are the claims of a checkout's SignedToken as
// docs/decisions.md lists them. Decoding refuses any other claim.
type storyCheckoutClaims struct {
	Iss              string                `json:"iss"`
	Sub              string                `json:"sub"`
	Aud              string                `json:"aud"`
	Iat              int64                 `json:"iat"`
	Nbf              int64                 `json:"nbf"`
	Exp              int64                 `json:"exp"`
	Jti              string                `json:"jti"`
	TokenUse         string                `json:"token_use"`
	CheckoutType     string                `json:"checkout_type"`
	ProductSKU       string                `json:"product_sku"`
	KeyFingerprint   string                `json:"key_fingerprint"`
	Entitlements     []storyClaimValue     `json:"entitlements"`
	NodeID           string                `json:"node_id,omitempty"`
	CheckoutMetadata []storyClaimMetadatum `json:"checkout_metadata,omitempty"`
}

type storyClaimValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	Unit  string `json:"unit"`
}

type storyClaimMetadatum struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// storyVerifyPS384 verifies a checkout's SignedToken with go-jose against
// the served JWK set, allowing only PS384 and requiring audience aud, and
// returns its protected header and claims.
func storyVerifyPS384(t *testing.T, set jose.JSONWebKeySet, tok, aud string, at time.Time) (
	header map[string]any, claims storyCheckoutClaims) {
	t.Helper()
	algs := []jose.SignatureAlgorithm{jose.PS384}
	parsed, err := jwt.ParseSigned(tok, algs)
	if err != nil {
		t.Fatalf("SignedToken is not a PS384 JWT: %v", err)
	}
	h := parsed.Headers[0]
	keys := set.Key(h.KeyID)
	if len(keys) != 1 || keys[0].Algorithm != string(jose.PS384) || !keys[0].IsPublic() {
		t.Fatalf("the JWK set has %d keys for kid %q, want one public PS384 key", len(keys), h.KeyID)
	}
	var std jwt.Claims
	if err := parsed.Claims(keys[0], &std); err != nil {
		t.Fatalf("go-jose rejects the SignedToken: %v", err)
	}
	expected := jwt.Expected{Issuer: issuer, AnyAudience: jwt.Audience{aud}, Time: at}
	if err := std.ValidateWithLeeway(expected, time.Minute); err != nil {
		t.Errorf("SignedToken claims: %v", err)
	}
	// The signature holds: the payload is what the server signed.
	claims = unverifiedPayload[storyCheckoutClaims](t, tok)
	header = map[string]any{"alg": h.Algorithm, "kid": h.KeyID}
	for k, v := range h.ExtraHeaders {
		header[string(k)] = v
	}
	return header, claims
}

// storyCheck asserts what a run of the story recorded.
func storyCheck(t *testing.T, ts *testServer, rec storyRecord) {
	created := storyOK(t, "create license", rec.Created)
	lic := aws.ToString(created.LicenseArn)
	if v := aws.ToString(created.Version); !storyLicenseARN.MatchString(lic) ||
		created.Status != lmtypes.LicenseStatusAvailable || v != "1" {
		t.Errorf("create license = %s %s %s, want an ARN of account %s, AVAILABLE, 1", lic, created.Status, v, storySeller)
	}
	other := aws.ToString(storyOK(t, "create the other license", rec.CreatedOther).LicenseArn)
	if !storyLicenseARN.MatchString(other) || other == lic {
		t.Errorf("the other license is %s, want another ARN than %s", other, lic)
	}
	if again := aws.ToString(storyOK(t, "create license again", rec.CreateReplayed).LicenseArn); again != lic {
		t.Errorf("create license again with its client token = %s, want %s", again, lic)
	}

	// What the buyer received, what the seller issued, and what the
	// software reads are the same license.
	got := storyOK(t, "get license", rec.License).License
	if got == nil {
		t.Fatal("get license: no License")
	}
	want := storyLicense(lic, storySKU)
	storyTime(t, "CreateTime", got.CreateTime)
	want.CreateTime = got.CreateTime
	storyDiff(t, "get license", want, *got)
	wantOther := storyLicense(other, storyOtherSKU)
	received := storyOK(t, "list received licenses", rec.Received).Licenses
	if len(received) == 2 {
		wantOther.CreateTime = received[0].CreateTime
		if aws.ToString(received[0].LicenseArn) == lic {
			wantOther.CreateTime = received[1].CreateTime
		}
	}
	wantReceived := []lmtypes.GrantedLicense{
		storyGranted(want, lmtypes.ReceivedStatusActive), storyGranted(wantOther, lmtypes.ReceivedStatusActive),
	}
	if other < lic {
		wantReceived[0], wantReceived[1] = wantReceived[1], wantReceived[0]
	}
	storyDiff(t, "list received licenses, in ARN order", wantReceived, received)
	storyDiff(t, "list licenses of the seller", []lmtypes.License{want}, storyOK(t, "list licenses", rec.Issued).Licenses)

	tok := storyOK(t, "create token", rec.Token)
	if !storyHex32.MatchString(aws.ToString(tok.TokenId)) || tok.TokenType != lmtypes.TokenTypeRefreshToken {
		t.Errorf("create token = %s %s, want an id and REFRESH_TOKEN", aws.ToString(tok.TokenId), tok.TokenType)
	}
	access := tokDecodeAccess(t, aws.ToString(storyOK(t, "get access token", rec.Access).AccessToken))
	if access.Aud != lic || access.Sub != account || access.RefreshTokenID != aws.ToString(tok.TokenId) {
		t.Errorf("access token claims %+v, want aud %s, sub %s, refresh_token_id %s", access, lic, account, aws.ToString(tok.TokenId))
	}
	a := storyOK(t, "assume role with web identity", rec.Assumed)
	wantAssumed := storyAssumed{AccessKeyId: a.AccessKeyId, Arn: flowAssumedARN, AssumedRoleId: a.AssumedRoleId,
		SubjectFromWebIdentityToken: account, Audience: lic, Provider: issuer}
	if *a != wantAssumed || !strings.HasPrefix(a.AccessKeyId, "ASIA") ||
		!strings.HasPrefix(a.AssumedRoleId, "AROA") || !strings.HasSuffix(a.AssumedRoleId, ":s1") {
		t.Errorf("assume role with web identity = %+v, want an ASIA key and %+v", *a, wantAssumed)
	}

	set := fetchJWKS(t, ts.url+"/.well-known/jwks.json")
	storyCheckCheckout(t, set, lic, rec)

	v2 := storyOK(t, "create license version", rec.Version2)
	if arn, v := aws.ToString(v2.LicenseArn), aws.ToString(v2.Version); arn != lic || v != "2" ||
		v2.Status != lmtypes.LicenseStatusAvailable {
		t.Errorf("create license version = %s %s %s, want %s 2 AVAILABLE", arn, v, v2.Status, lic)
	}
	storyCheckExtension(t, rec)

	storyOK(t, "check in", rec.CheckIn)
	storyDiff(t, "usage after check in", storyUsage(0, 0), storyOK(t, "usage after check in", rec.UsageCheckedIn).LicenseUsage)
	consumption := aws.ToString(rec.Checkout.Reply.LicenseConsumptionToken)
	storyWantError(t, ts, "check in again", rec.CheckInAgain,
		lmRefusal("ConflictException", consumption, "already checked in"))
	denied := "User: " + flowAssumedARN + " is not authorized to perform: license-manager:"
	storyWantError(t, ts, "checkout of the other license's SKU", rec.CheckoutOther,
		lmRefusal("AccessDeniedException", denied+"CheckoutLicense", storyOtherSKU))
	storyWantError(t, ts, "get license of the other license", rec.GetOther,
		lmRefusal("AccessDeniedException", denied+"GetLicense on resource: "+other))

	storyCheckBorrow(t, set, lic, rec)

	storyOK(t, "delete token", rec.DeleteToken)
	storyWantError(t, ts, "get access token after delete token", rec.AccessAfterDelete,
		lmRefusal("AuthorizationException", "deleted"))
	storyWantError(t, ts, "assume role with the earlier access token after delete token", rec.AssumeAfterDelete,
		storyRefusal{"InvalidIdentityToken", "InvalidIdentityTokenException", 400, []string{"deleted"}})
}

// storyCheckCheckout checks the provisional checkout of a seat and the
// usage it made.
func storyCheckCheckout(t *testing.T, set jose.JSONWebKeySet, lic string, rec storyRecord) {
	co := storyOK(t, "checkout", rec.Checkout)
	issued := storyTime(t, "checkout IssuedAt", co.IssuedAt)
	expires := storyTime(t, "checkout Expiration", co.Expiration)
	consumption := aws.ToString(co.LicenseConsumptionToken)
	if co.CheckoutType != lmtypes.CheckoutTypeProvisional || aws.ToString(co.LicenseArn) != lic ||
		!storyHex32.MatchString(consumption) || aws.ToString(co.NodeId) != "node-1" {
		t.Errorf("checkout = %s %s %s node %s, want PROVISIONAL %s, a consumption token, node-1",
			co.CheckoutType, aws.ToString(co.LicenseArn), consumption, aws.ToString(co.NodeId), lic)
	}
	if !expires.Equal(issued.Add(60 * time.Minute)) {
		t.Errorf("checkout Expiration %v, want IssuedAt %v + the provisional 60 minutes", expires, issued)
	}
	storyDiff(t, "checkout EntitlementsAllowed", []lmtypes.EntitlementData{storySeat}, co.EntitlementsAllowed)
	header, c := storyVerifyPS384(t, set, aws.ToString(co.SignedToken), lic, issued)
	wantClaims := storyCheckoutClaims{
		Iss: issuer, Sub: account, Aud: lic, Iat: issued.Unix(), Nbf: issued.Unix(), Exp: expires.Unix(), Jti: consumption,
		TokenUse: "license_checkout", CheckoutType: "PROVISIONAL", ProductSKU: storySKU, KeyFingerprint: storyFingerprint,
		Entitlements: []storyClaimValue{{"Seats", "1", "Count"}}, NodeID: "node-1",
	}
	if diff := cmp.Diff(wantClaims, c); diff != "" {
		t.Errorf("checkout SignedToken claims (-want +got):\n%s", diff)
	}
	if header["alg"] != "PS384" || header["typ"] != "JWT" {
		t.Errorf("checkout SignedToken header %v, want alg PS384, typ JWT", header)
	}
	storyDiff(t, "usage after checkout", storyUsage(1, 0), storyOK(t, "usage after checkout", rec.UsageCheckedOut).LicenseUsage)
}

// storyCheckExtension checks the dry run and the extension, both made
// after version 2 set a provisional time to live of 120 minutes and before
// the borrow.
func storyCheckExtension(t *testing.T, rec storyRecord) {
	co := rec.Checkout.Reply
	issued := storyTime(t, "checkout IssuedAt", co.IssuedAt)
	dry := storyOK(t, "extend, dry run", rec.ExtendDryRun)
	ext := storyOK(t, "extend", rec.Extend)
	for _, x := range []*licensemanager.ExtendLicenseConsumptionOutput{dry, ext} {
		if aws.ToString(x.LicenseConsumptionToken) != aws.ToString(co.LicenseConsumptionToken) {
			t.Errorf("extend names %s, want %s",
				aws.ToString(x.LicenseConsumptionToken), aws.ToString(co.LicenseConsumptionToken))
		}
	}
	dryExp := storyTime(t, "dry run Expiration", dry.Expiration)
	extExp := storyTime(t, "extend Expiration", ext.Expiration)
	latest := storyTime(t, "borrow IssuedAt", storyOK(t, "borrow", rec.Borrow).IssuedAt).Add(120 * time.Minute)
	if dryExp.Before(issued.Add(120*time.Minute)) || extExp.Before(dryExp) || extExp.After(latest) {
		t.Errorf("dry run Expiration %v, extend Expiration %v: want, in call order, from checkout IssuedAt "+
			"+ 120 min (%v) to borrow IssuedAt + 120 min (%v)", dryExp, extExp, issued.Add(120*time.Minute), latest)
	}
}

// storyCheckBorrow checks the borrow of every entitlement and the usage it
// made.
func storyCheckBorrow(t *testing.T, set jose.JSONWebKeySet, lic string, rec storyRecord) {
	b := storyOK(t, "borrow", rec.Borrow)
	issued := storyTime(t, "borrow IssuedAt", b.IssuedAt)
	expires := storyTime(t, "borrow Expiration", b.Expiration)
	consumption := aws.ToString(b.LicenseConsumptionToken)
	if aws.ToString(b.LicenseArn) != lic || !storyHex32.MatchString(consumption) || aws.ToString(b.NodeId) != "laptop-7" ||
		consumption == aws.ToString(rec.Checkout.Reply.LicenseConsumptionToken) {
		t.Errorf("borrow = %s %s node %s, want %s, a new consumption token, laptop-7",
			aws.ToString(b.LicenseArn), consumption, aws.ToString(b.NodeId), lic)
	}
	if !expires.Equal(issued.Add(1440 * time.Minute)) {
		t.Errorf("borrow Expiration %v, want IssuedAt %v + the borrow's 1440 minutes", expires, issued)
	}
	storyDiff(t, "borrow EntitlementsAllowed", []lmtypes.EntitlementData{storySeat, storyReports}, b.EntitlementsAllowed)
	storyDiff(t, "borrow CheckoutMetadata", storyBorrowMetadata, b.CheckoutMetadata)
	_, c := storyVerifyPS384(t, set, aws.ToString(b.SignedToken), lic, issued)
	wantClaims := storyBorrowClaims(lic, consumption, issued, expires)
	if diff := cmp.Diff(wantClaims, c); diff != "" {
		t.Errorf("borrow SignedToken claims (-want +got):\n%s", diff)
	}
	storyDiff(t, "usage after borrow", storyUsage(1, 1), storyOK(t, "usage after borrow", rec.UsageBorrowed).LicenseUsage)
}

// storyBorrowMetadata is the CheckoutMetadata of the story's borrow.
var storyBorrowMetadata = []lmtypes.Metadata{{Name: aws.String("reason"), Value: aws.String("offline demo")}}

// storyBorrowClaims are the claims the borrow's SignedToken must carry.
func storyBorrowClaims(lic, consumption string, issued, expires time.Time) storyCheckoutClaims {
	return storyCheckoutClaims{
		Iss: issuer, Sub: account, Aud: lic, Iat: issued.Unix(), Nbf: issued.Unix(), Exp: expires.Unix(), Jti: consumption,
		TokenUse: "license_borrow", CheckoutType: "BORROW", ProductSKU: storySKU, KeyFingerprint: storyFingerprint,
		Entitlements:     []storyClaimValue{{"Seats", "1", "Count"}, {"AdvancedReports", "enabled", "None"}},
		NodeID:           "laptop-7",
		CheckoutMetadata: []storyClaimMetadatum{{"reason", "offline demo"}},
	}
}

// borrowVerification is what testdata/verify_borrow_pyjwt.py prints.
type borrowVerification struct {
	Header                             map[string]any
	Claims                             storyCheckoutClaims
	WrongAudience, Tampered, OnlyES256 string
}

func TestStoryBoto3(t *testing.T) {
	python := requireTool(t, "boto3")
	t.Parallel()
	ts, _ := openStoryServer(t, t.TempDir(), time.Now)
	var rec storyRecord
	runPython(t, python, "boto3_story.py", &rec, ts.url, storySellerKeyID, storySellerSecret, account, roleR1)
	storyCheck(t, ts, rec)

	t.Run("PyJWT verifies the borrow's SignedToken", func(t *testing.T) {
		python := requireTool(t, "pyjwt")
		b := rec.Borrow.Reply
		if b == nil {
			t.Fatal("the borrow failed")
		}
		lic := aws.ToString(b.LicenseArn)
		var got borrowVerification
		runPython(t, python, "verify_borrow_pyjwt.py", &got,
			ts.url+"/.well-known/jwks.json", aws.ToString(b.SignedToken), issuer, lic)
		kid := ts.inst.Keys.Active(token.PS384).KeyID()
		if diff := cmp.Diff(map[string]any{"alg": "PS384", "kid": kid, "typ": "JWT"}, got.Header); diff != "" {
			t.Errorf("header (-want +got):\n%s", diff)
		}
		want := storyBorrowClaims(lic, aws.ToString(b.LicenseConsumptionToken),
			storyTime(t, "IssuedAt", b.IssuedAt), storyTime(t, "Expiration", b.Expiration))
		if diff := cmp.Diff(want, got.Claims); diff != "" {
			t.Errorf("claims PyJWT verified (-want +got):\n%s", diff)
		}
		for _, c := range []struct{ what, got, want string }{
			{"another audience", got.WrongAudience, "InvalidAudienceError"},
			{"more seats written in", got.Tampered, "InvalidSignatureError"},
			{"ES256 as the only algorithm", got.OnlyES256, "InvalidAlgorithmError"},
		} {
			if c.got != c.want {
				t.Errorf("verifying with %s raised %q, want %q", c.what, c.got, c.want)
			}
		}
	})
}
