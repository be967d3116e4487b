package sts_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/google/go-cmp/cmp"

	"github.com/license-manager/license-manager/internal/auth"
	"github.com/license-manager/license-manager/internal/awsjson"
	"github.com/license-manager/license-manager/internal/sts"
	"github.com/license-manager/license-manager/internal/token"
)

const (
	account = "123456789012"
	license = "arn:aws:license-manager::123456789012:license:l-0123456789abcdef0123456789abcdef"
	roleR1  = "arn:aws:iam::123456789012:role/team/LicenseConsumer"
	roleR2  = "arn:aws:iam::123456789012:role/Auditor"
	issuer  = "https://license-manager.test"
)

// now is the fixed clock of every test.
var now = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

// fixture is an API whose token verification is the real KeySet.Verify on
// a real key file; only the store look-up of the parent refresh token is
// replaced, by the set of deleted ids. Sessions records what it is asked
// to issue and returns fixed credentials.
type fixture struct {
	api     *sts.API
	signer  jose.Signer
	keyID   string
	deleted map[string]bool
	issued  []auth.Principal
	expires []time.Time
	logs    strings.Builder
}

type tokensFunc func(ctx context.Context, compact string) (*token.Claims, error)

func (f tokensFunc) VerifyAccess(ctx context.Context, compact string) (*token.Claims, error) {
	return f(ctx, compact)
}

type sessionsFunc func(p auth.Principal, expires time.Time) (auth.TemporaryCredentials, error)

func (f sessionsFunc) Issue(p auth.Principal, expires time.Time) (auth.TemporaryCredentials, error) {
	return f(p, expires)
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	path := filepath.Join(t.TempDir(), token.KeyFile)
	ks, err := token.LoadKeySet(path, token.ES256)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{deleted: map[string]bool{}}
	f.signer, f.keyID = signerFromKeyFile(t, path)
	f.api = &sts.API{
		Tokens: tokensFunc(func(ctx context.Context, compact string) (*token.Claims, error) {
			c, err := ks.Verify(compact, token.UseAccess, now)
			if err != nil {
				return nil, err
			}
			if f.deleted[c.RefreshTokenID] {
				return nil, token.ErrDeleted
			}
			return c, nil
		}),
		Sessions: sessionsFunc(func(p auth.Principal, expires time.Time) (auth.TemporaryCredentials, error) {
			f.issued = append(f.issued, p)
			f.expires = append(f.expires, expires)
			return auth.TemporaryCredentials{
				AccessKeyID: "ASIAEXAMPLE0000000A", SecretAccessKey: "secret<&>",
				SessionToken: "sealed-session", Expiration: expires,
			}, nil
		}),
		Now:    func() time.Time { return now },
		Logger: slog.New(slog.NewTextHandler(&f.logs, nil)),
	}
	return f
}

// signerFromKeyFile signs with the installation's own private key, read
// from its key file, so tests can mint tokens with any claims.
func signerFromKeyFile(t *testing.T, path string) (jose.Signer, string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(data, &set); err != nil {
		t.Fatal(err)
	}
	k := set.Keys[0]
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: k},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", k.KeyID))
	if err != nil {
		t.Fatal(err)
	}
	return s, k.KeyID
}

// accessClaims are the claims of a valid access token at now.
func accessClaims() map[string]any {
	return map[string]any{
		"iss": issuer, "sub": account, "aud": license,
		"amr":       []string{"aws:license-manager:token-issuer-account-id:" + account},
		"role_arns": []string{roleR1, roleR2}, "token_use": token.UseAccess,
		"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(time.Hour).Unix(),
		"jti": "access-1", "refresh_token_id": "refresh-1",
	}
}

func (f *fixture) mint(t *testing.T, claims map[string]any) string {
	t.Helper()
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	return f.mintRaw(t, payload)
}

func (f *fixture) mintRaw(t *testing.T, payload []byte) string {
	t.Helper()
	jws, err := f.signer.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	s, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func assumeForm(tok string, extra ...string) url.Values {
	form := url.Values{
		"Action": {"AssumeRoleWithWebIdentity"}, "Version": {"2011-06-15"},
		"RoleArn": {roleR1}, "RoleSessionName": {"s1"}, "WebIdentityToken": {tok},
	}
	for i := 0; i+1 < len(extra); i += 2 {
		if extra[i+1] == "<absent>" {
			form.Del(extra[i])
			continue
		}
		form.Set(extra[i], extra[i+1])
	}
	return form
}

func TestAssumeRoleWithWebIdentityReply(t *testing.T) {
	f := newFixture(t)
	status, body := f.api.Serve(t.Context(), "req-1", nil, assumeForm(f.mint(t, accessClaims())))
	if status != http.StatusOK {
		t.Fatalf("status %d, body %s", status, body)
	}
	want := `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">` +
		`<AssumeRoleWithWebIdentityResult>` +
		`<SubjectFromWebIdentityToken>123456789012</SubjectFromWebIdentityToken>` +
		`<Audience>` + license + `</Audience>` +
		`<AssumedRoleUser>` +
		`<AssumedRoleId>` + sts.AssumedRoleID(roleR1, "s1") + `</AssumedRoleId>` +
		`<Arn>arn:aws:sts::123456789012:assumed-role/LicenseConsumer/s1</Arn>` +
		`</AssumedRoleUser>` +
		`<Credentials>` +
		`<AccessKeyId>ASIAEXAMPLE0000000A</AccessKeyId>` +
		`<SecretAccessKey>secret&lt;&amp;&gt;</SecretAccessKey>` +
		`<SessionToken>sealed-session</SessionToken>` +
		`<Expiration>2026-03-04T06:06:07Z</Expiration>` +
		`</Credentials>` +
		`<Provider>https://license-manager.test</Provider>` +
		`</AssumeRoleWithWebIdentityResult>` +
		`<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>` +
		`</AssumeRoleWithWebIdentityResponse>`
	if diff := cmp.Diff(want, string(body)); diff != "" {
		t.Errorf("reply (-want +got):\n%s", diff)
	}
	wantP := auth.Principal{
		Kind: auth.AssumedRole, AccountID: account, RoleARN: roleR1, SessionName: "s1",
		LicenseARN: license, TokenID: "refresh-1",
	}
	if len(f.issued) != 1 {
		t.Fatalf("Issue called %d times, want 1", len(f.issued))
	}
	if diff := cmp.Diff(wantP, f.issued[0]); diff != "" {
		t.Errorf("issued principal (-want +got):\n%s", diff)
	}
}

func TestAssumedRoleID(t *testing.T) {
	id := sts.AssumedRoleID(roleR1, "s1")
	prefix, session, ok := strings.Cut(id, ":")
	if !ok || session != "s1" || len(prefix) != 20 || !strings.HasPrefix(prefix, "AROA") {
		t.Errorf("AssumedRoleID = %q, want AROA + 16 characters + :s1", id)
	}
	if strings.Trim(prefix, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") != "" {
		t.Errorf("AssumedRoleID = %q has characters outside [A-Z2-7]", id)
	}
	if again := sts.AssumedRoleID(roleR1, "other"); !strings.HasPrefix(again, prefix+":") {
		t.Errorf("AssumedRoleID of the same role = %q, want prefix %s", again, prefix)
	}
	if other := sts.AssumedRoleID(roleR2, "s1"); strings.HasPrefix(other, prefix) {
		t.Errorf("AssumedRoleID of another role = %q, shares prefix %s", other, prefix)
	}
}

func TestDurationSeconds(t *testing.T) {
	for _, tc := range []struct {
		given string
		want  time.Duration
	}{
		{"<absent>", time.Hour},
		{"900", 15 * time.Minute},
		{"43200", 12 * time.Hour},
	} {
		f := newFixture(t)
		status, body := f.api.Serve(t.Context(), "r", nil, assumeForm(f.mint(t, accessClaims()), "DurationSeconds", tc.given))
		if status != http.StatusOK {
			t.Errorf("DurationSeconds %s: status %d, body %s", tc.given, status, body)
			continue
		}
		// The session outlives the one-hour access token when asked to.
		if got := f.expires[0].Sub(now); got != tc.want {
			t.Errorf("DurationSeconds %s: credentials last %v, want %v", tc.given, got, tc.want)
		}
	}
}

// stsError is an ErrorResponse as a client reads it.
type stsError struct {
	XMLName xml.Name `xml:"https://sts.amazonaws.com/doc/2011-06-15/ ErrorResponse"`
	Error   struct {
		Type    string
		Code    string
		Message string
	}
	RequestID string `xml:"RequestId"`
}

func parseError(t *testing.T, body []byte) stsError {
	t.Helper()
	var e stsError
	if err := xml.Unmarshal(body, &e); err != nil {
		t.Fatalf("error body %s: %v", body, err)
	}
	return e
}

func TestAssumeRoleWithWebIdentityErrors(t *testing.T) {
	f := newFixture(t)
	valid := f.mint(t, accessClaims())
	with := func(change func(c map[string]any)) string {
		c := accessClaims()
		change(c)
		return f.mint(t, c)
	}
	refresh := with(func(c map[string]any) { c["token_use"] = token.UseRefresh; delete(c, "refresh_token_id") })
	expired := with(func(c map[string]any) {
		c["iat"], c["nbf"], c["exp"] = now.Add(-2*time.Hour).Unix(), now.Add(-2*time.Hour).Unix(), now.Add(-61*time.Second).Unix()
	})
	future := with(func(c map[string]any) { c["nbf"] = now.Add(10 * time.Minute).Unix() })
	noAud := with(func(c map[string]any) { delete(c, "aud") })
	dupAud := f.mintRaw(t, []byte(`{"iss":"`+issuer+`","sub":"`+account+`","aud":"`+license+`","aud":"other",`+
		`"role_arns":["`+roleR1+`"],"token_use":"access","iat":`+itoa(now.Unix())+`,"nbf":`+itoa(now.Unix())+
		`,"exp":`+itoa(now.Add(time.Hour).Unix())+`,"jti":"j","refresh_token_id":"refresh-1"}`))
	parts := strings.Split(valid, ".")
	none := `eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.` + parts[1] + "."
	stripped := parts[0] + "." + parts[1] + "."
	otherKey := newFixture(t).mint(t, accessClaims())
	deletedParent := with(func(c map[string]any) { c["refresh_token_id"] = "gone" })
	f.deleted["gone"] = true

	for _, tc := range []struct {
		name   string
		form   url.Values
		code   string
		status int
		msg    string // a part of the message
	}{
		{"refresh token", assumeForm(refresh), "InvalidIdentityToken", 400, "not an access token"},
		{"expired", assumeForm(expired), "ExpiredTokenException", 400, "expired"},
		{"not yet valid", assumeForm(future), "InvalidIdentityToken", 400, "not valid yet"},
		{"no aud", assumeForm(noAud), "InvalidIdentityToken", 400, "no aud claim"},
		{"duplicate aud", assumeForm(dupAud), "InvalidIdentityToken", 400, "duplicate claim"},
		{"alg none", assumeForm(none), "InvalidIdentityToken", 400, "signature is invalid"},
		{"stripped signature", assumeForm(stripped), "InvalidIdentityToken", 400, "signature is invalid"},
		{"other installation", assumeForm(otherKey), "InvalidIdentityToken", 400, "key this installation does not have"},
		{"not a JWT", assumeForm("abcd.efgh"), "InvalidIdentityToken", 400, "not a well-formed JWT"},
		{"deleted refresh token", assumeForm(deletedParent), "InvalidIdentityToken", 400, "was deleted"},
		{"role not in token", assumeForm(valid, "RoleArn", "arn:aws:iam::123456789012:role/Other"), "AccessDenied", 403,
			"Not authorized to perform sts:AssumeRoleWithWebIdentity"},
		{"session name with a space", assumeForm(valid, "RoleSessionName", "has space"), "ValidationError", 400,
			`1 validation error detected: Value 'has space' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`},
		{"session name too short", assumeForm(valid, "RoleSessionName", "a"), "ValidationError", 400,
			"Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2"},
		{"session name too long", assumeForm(valid, "RoleSessionName", strings.Repeat("a", 65)), "ValidationError", 400,
			"Member must have length less than or equal to 64"},
		{"token too short", assumeForm("abc"), "ValidationError", 400,
			"Value '*** Sensitive Data Redacted ***' at 'webIdentityToken' failed to satisfy constraint: Member must have length greater than or equal to 4"},
		{"token too long", assumeForm(strings.Repeat("a", 20001)), "ValidationError", 400,
			"Member must have length less than or equal to 20000"},
		{"duration too short", assumeForm(valid, "DurationSeconds", "899"), "ValidationError", 400,
			"Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"},
		{"duration too long", assumeForm(valid, "DurationSeconds", "43201"), "ValidationError", 400,
			"Member must have value less than or equal to 43200"},
		{"duration not a number", assumeForm(valid, "DurationSeconds", "1h"), "ValidationError", 400, "Member must be an integer"},
		{"duration empty", assumeForm(valid, "DurationSeconds", ""), "ValidationError", 400, "Member must be an integer"},
		{"no role", assumeForm(valid, "RoleArn", "<absent>"), "ValidationError", 400,
			"Value null at 'roleArn' failed to satisfy constraint: Member must not be null"},
		{"role too short", assumeForm(valid, "RoleArn", "arn:aws:iam::1:role"), "ValidationError", 400,
			"Member must have length greater than or equal to 20"},
		{"not a role ARN", assumeForm(valid, "RoleArn", license), "ValidationError", 400, "Request ARN is invalid"},
		{"everything missing", assumeForm("", "RoleArn", "<absent>", "RoleSessionName", "<absent>", "WebIdentityToken", "<absent>"),
			"ValidationError", 400, "3 validation errors detected: Value null at 'roleArn'"},
		{"session policy", assumeForm(valid, "Policy", `{"Version":"2012-10-17"}`), "ValidationError", 400, "not supported"},
		{"managed policy", assumeForm(valid, "PolicyArns.member.1.arn", "arn:aws:iam::aws:policy/ReadOnlyAccess"), "ValidationError", 400, "not supported"},
		{"role given twice", func() url.Values { v := assumeForm(valid); v.Add("RoleArn", roleR2); return v }(),
			"ValidationError", 400, "RoleArn was given more than once"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := f.api.Serve(t.Context(), "req-e", nil, tc.form)
			e := parseError(t, body)
			if status != tc.status || e.Error.Code != tc.code || !strings.Contains(e.Error.Message, tc.msg) {
				t.Errorf("Serve = %d %s %q, want %d %s containing %q", status, e.Error.Code, e.Error.Message, tc.status, tc.code, tc.msg)
			}
			if e.Error.Type != "Sender" || e.RequestID != "req-e" {
				t.Errorf("Type %q RequestId %q, want Sender and req-e", e.Error.Type, e.RequestID)
			}
			// A token never comes back, in the reply or in the log.
			if tok := tc.form.Get("WebIdentityToken"); len(tok) > 8 && (strings.Contains(string(body), tok) || strings.Contains(f.logs.String(), tok)) {
				t.Errorf("the web identity token appears in the reply or the log")
			}
		})
	}
	if len(f.issued) != 0 {
		t.Errorf("credentials issued for %d failed requests", len(f.issued))
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestActionAndVersion(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		name string
		form url.Values
		code string
		msg  string
	}{
		{"no action", url.Values{"Version": {"2011-06-15"}}, "MissingAction", "Missing Action"},
		{"empty action", url.Values{"Action": {""}, "Version": {"2011-06-15"}}, "MissingAction", "Missing Action"},
		{"unknown action", url.Values{"Action": {"AssumeRole"}, "Version": {"2011-06-15"}}, "InvalidAction",
			"Could not find operation AssumeRole for version 2011-06-15"},
		{"no version", url.Values{"Action": {"GetCallerIdentity"}}, "InvalidAction",
			"Could not find operation GetCallerIdentity for version NO_VERSION_SPECIFIED"},
		{"other version", url.Values{"Action": {"GetCallerIdentity"}, "Version": {"2010-01-01"}}, "InvalidAction",
			"Could not find operation GetCallerIdentity for version 2010-01-01"},
		{"action twice", url.Values{"Action": {"GetCallerIdentity", "AssumeRoleWithWebIdentity"}, "Version": {"2011-06-15"}},
			"ValidationError", "The parameter Action was given more than once."},
	} {
		status, body := f.api.Serve(t.Context(), "r", &auth.Principal{Kind: auth.Account, AccountID: account}, tc.form)
		e := parseError(t, body)
		if status != 400 || e.Error.Code != tc.code || e.Error.Message != tc.msg {
			t.Errorf("%s: Serve = %d %s %q, want 400 %s %q", tc.name, status, e.Error.Code, e.Error.Message, tc.code, tc.msg)
		}
	}
}

func TestGetCallerIdentity(t *testing.T) {
	f := newFixture(t)
	form := url.Values{"Action": {"GetCallerIdentity"}, "Version": {"2011-06-15"}}
	for _, tc := range []struct {
		name string
		p    auth.Principal
		want string
	}{
		{"account", auth.Embedded(account),
			`<Arn>arn:aws:iam::123456789012:root</Arn><UserId>123456789012</UserId><Account>123456789012</Account>`},
		{"named key", auth.Principal{Kind: auth.Account, AccountID: account, AccessKeyID: "AKIA", UserName: "admin"},
			`<Arn>arn:aws:iam::123456789012:user/admin</Arn><UserId>` + sts.UserID(auth.Principal{Kind: auth.Account, AccountID: account, UserName: "admin"}) +
				`</UserId><Account>123456789012</Account>`},
		{"assumed role", auth.Principal{Kind: auth.AssumedRole, AccountID: account, RoleARN: roleR1, SessionName: "s1", LicenseARN: license},
			`<Arn>arn:aws:sts::123456789012:assumed-role/LicenseConsumer/s1</Arn><UserId>` + sts.AssumedRoleID(roleR1, "s1") +
				`</UserId><Account>123456789012</Account>`},
	} {
		status, body := f.api.Serve(t.Context(), "req-g", &tc.p, form)
		want := `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>` +
			tc.want + `</GetCallerIdentityResult><ResponseMetadata><RequestId>req-g</RequestId></ResponseMetadata></GetCallerIdentityResponse>`
		if status != 200 || string(body) != want {
			t.Errorf("%s: Serve = %d %s\nwant 200 %s", tc.name, status, body, want)
		}
	}
	if id := sts.UserID(auth.Principal{Kind: auth.Account, AccountID: account, UserName: "admin"}); !strings.HasPrefix(id, "AIDA") || len(id) != 20 {
		t.Errorf("UserID of a named key = %q, want AIDA + 16 characters", id)
	}

	for _, p := range []*auth.Principal{nil, {Kind: auth.Anonymous}} {
		status, body := f.api.Serve(t.Context(), "req-u", p, form)
		e := parseError(t, body)
		if status != 403 || e.Error.Code != "MissingAuthenticationToken" {
			t.Errorf("unsigned GetCallerIdentity = %d %s %q, want 403 MissingAuthenticationToken", status, e.Error.Code, e.Error.Message)
		}
	}
}

func TestNeedsSignature(t *testing.T) {
	for action, want := range map[string]bool{
		"AssumeRoleWithWebIdentity": false,
		"GetCallerIdentity":         true,
		"AssumeRole":                true,
		"":                          true,
	} {
		if got := sts.NeedsSignature(action); got != want {
			t.Errorf("NeedsSignature(%q) = %v, want %v", action, got, want)
		}
	}
}

func TestInternalFailure(t *testing.T) {
	f := newFixture(t)
	f.api.Sessions = sessionsFunc(func(auth.Principal, time.Time) (auth.TemporaryCredentials, error) {
		return auth.TemporaryCredentials{}, io.ErrUnexpectedEOF
	})
	status, body := f.api.Serve(t.Context(), "req-i", nil, assumeForm(f.mint(t, accessClaims())))
	e := parseError(t, body)
	if status != 500 || e.Error.Code != "InternalFailure" || e.Error.Type != "Receiver" || strings.Contains(e.Error.Message, "EOF") {
		t.Errorf("Serve = %d %+v, want 500 InternalFailure from the Receiver without the cause", status, e.Error)
	}
	if !strings.Contains(f.logs.String(), "req-i") || !strings.Contains(f.logs.String(), "unexpected EOF") {
		t.Errorf("log lacks the request id or the cause:\n%s", f.logs.String())
	}
}

func TestErrorResponse(t *testing.T) {
	status, body := sts.ErrorResponse("req-x", &awsjson.Error{
		Code: "SignatureDoesNotMatch", Message: `a <b> & "c"`, Status: http.StatusForbidden,
	})
	want := `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>` +
		`<Code>SignatureDoesNotMatch</Code><Message>a &lt;b&gt; &amp; &#34;c&#34;</Message></Error>` +
		`<RequestId>req-x</RequestId></ErrorResponse>`
	if status != 403 || string(body) != want {
		t.Errorf("ErrorResponse = %d %s\nwant 403 %s", status, body, want)
	}
}
