package server_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/google/go-cmp/cmp"

	"github.com/license-manager/license-manager/internal/auth"
	"github.com/license-manager/license-manager/internal/server"
	"github.com/license-manager/license-manager/internal/testclock"
	"github.com/license-manager/license-manager/internal/token"
)

const (
	lic2     = "arn:aws:license-manager::123456789012:license:l-fedcba9876543210fedcba9876543210"
	account2 = "210987654321"
)

// iso8601 is the model's ISO8601DateTime pattern.
var iso8601 = regexp.MustCompile(`^(-?(?:[1-9][0-9]*)?[0-9]{4})-(1[0-2]|0[1-9])-(3[0-1]|0[1-9]|[1-2][0-9])T(2[0-3]|[0-1][0-9]):([0-5][0-9]):([0-5][0-9])(\.[0-9]+)?(Z|[+-](?:2[ 0-3]|[0-1][0-9]):[0-5][0-9])+$`)

// tokenServer is a real server on a loopback port whose token service runs
// on a fake clock.
type tokenServer struct {
	*testServer
	clock *testclock.Clock
}

func startTokenServer(t *testing.T) *tokenServer {
	t.Helper()
	clock := testclock.New(time.Now().UTC().Truncate(time.Second))
	return &tokenServer{testServer: startClock(t, clock.Now), clock: clock}
}

// call sends a License Manager request, signed unless anonymous.
func (ts *tokenServer) call(t *testing.T, op, body string, anonymous bool) reply {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), "POST", ts.url+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Amz-Target", "AWSLicenseManager."+op)
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	if !anonymous {
		sum := sha256.Sum256([]byte(body))
		if err := v4.NewSigner().SignHTTP(t.Context(), ts.creds, req, hex.EncodeToString(sum[:]),
			"license-manager", "us-east-1", time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return reply{resp.StatusCode, resp.Header, b}
}

// ok requires a 200 reply and decodes it into out.
func (r reply) ok(t *testing.T, out any) {
	t.Helper()
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	if err := json.Unmarshal(r.body, out); err != nil {
		t.Fatalf("reply %s: %v", r.body, err)
	}
}

// wantError requires a 400 reply with the code and a message containing
// each of words.
func (r reply) wantError(t *testing.T, what, code string, words ...string) {
	t.Helper()
	var e struct {
		Type    string `json:"__type"`
		Message string `json:"Message"`
	}
	if err := json.Unmarshal(r.body, &e); err != nil {
		t.Errorf("%s: error body %q is not JSON: %v", what, r.body, err)
		return
	}
	if r.status != 400 || e.Type != code {
		t.Errorf("%s: %d %s (%s), want 400 %s", what, r.status, e.Type, e.Message, code)
	}
	for _, w := range words {
		if !strings.Contains(e.Message, w) {
			t.Errorf("%s: message %q does not say %q", what, e.Message, w)
		}
	}
}

type created struct{ TokenId, Token string }

func (ts *tokenServer) create(t *testing.T, ct, extra string) created {
	t.Helper()
	var out created
	ts.call(t, "CreateToken", createBody(ct, extra), false).ok(t, &out)
	return out
}

type tokenData struct {
	TokenId, TokenType, LicenseArn, ExpirationTime string
	TokenProperties, RoleArns                      []string
	Status                                         string
}

type listReply struct {
	Tokens    []tokenData
	NextToken *string
}

func TestListTokensOverHTTP(t *testing.T) {
	t.Parallel()
	ts := startTokenServer(t)
	a := ts.create(t, "ct-a", `,"ExpirationInDays":1`)
	var b created
	ts.call(t, "CreateToken", fmt.Sprintf(`{"LicenseArn":%q,"ClientToken":"ct-b"}`, lic2), false).ok(t, &b)
	// No roles, no properties.
	var bare created
	ts.call(t, "CreateToken", fmt.Sprintf(`{"LicenseArn":%q,"ClientToken":"ct-bare"}`, lic), false).ok(t, &bare)
	var none struct{}
	ts.call(t, "DeleteToken", fmt.Sprintf(`{"TokenId":%q}`, b.TokenId), false).ok(t, &none)

	r := ts.call(t, "ListTokens", "{}", false)
	var got listReply
	r.ok(t, &got)
	if got.NextToken != nil {
		t.Errorf("one page: NextToken = %q, want none", *got.NextToken)
	}
	byID := map[string]tokenData{}
	for _, d := range got.Tokens {
		byID[d.TokenId] = d
	}
	claims, err := ts.inst.Keys.Verify(a.Token, token.UseRefresh, ts.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	want := tokenData{
		TokenId: a.TokenId, TokenType: "REFRESH_TOKEN", LicenseArn: lic,
		ExpirationTime:  time.Unix(claims.Expiry, 0).UTC().Format("2006-01-02T15:04:05Z"),
		TokenProperties: []string{"env=prod"}, RoleArns: []string{role1}, Status: "AVAILABLE",
	}
	if diff := cmp.Diff(want, byID[a.TokenId]); diff != "" {
		t.Errorf("TokenData (-want +got):\n%s", diff)
	}
	if !iso8601.MatchString(want.ExpirationTime) {
		t.Errorf("ExpirationTime %q does not match the model's pattern", want.ExpirationTime)
	}
	if s := byID[b.TokenId].Status; s != "DELETED" {
		t.Errorf("deleted token's Status = %q", s)
	}
	if d := byID[bare.TokenId]; d.TokenProperties == nil || d.RoleArns == nil || len(d.TokenProperties)+len(d.RoleArns) != 0 {
		t.Errorf("token without roles or properties: %+v, want empty lists", d)
	}
	// Members in model order; ExpirationTime a string, never a number.
	wantOrder := regexp.MustCompile(`^\{"Tokens":\[\{"TokenId":"[0-9a-f]{32}","TokenType":"REFRESH_TOKEN","LicenseArn":"[^"]+","ExpirationTime":"[^"]+","TokenProperties":\[[^\]]*\],"RoleArns":\[[^\]]*\],"Status":"(AVAILABLE|DELETED)"\}`)
	if !wantOrder.Match(r.body) {
		t.Errorf("reply %s: members out of model order", r.body)
	}

	// The license filter and token ids.
	var filtered listReply
	ts.call(t, "ListTokens", fmt.Sprintf(`{"Filters":[{"Name":"LicenseArns","Values":[%q]}]}`, lic2), false).ok(t, &filtered)
	if len(filtered.Tokens) != 1 || filtered.Tokens[0].TokenId != b.TokenId {
		t.Errorf("filtered by %s: %+v, want only %s", lic2, filtered.Tokens, b.TokenId)
	}
	var picked listReply
	ts.call(t, "ListTokens", fmt.Sprintf(`{"TokenIds":[%q,"tok-does-not-exist"]}`, a.TokenId), false).ok(t, &picked)
	if len(picked.Tokens) != 1 || picked.Tokens[0].TokenId != a.TokenId {
		t.Errorf("by id: %+v, want only %s", picked.Tokens, a.TokenId)
	}
	var empty listReply
	r = ts.call(t, "ListTokens", `{"TokenIds":["tok-does-not-exist"]}`, false)
	r.ok(t, &empty)
	if string(r.body) != `{"Tokens":[]}` {
		t.Errorf("no match: reply %s, want {\"Tokens\":[]}", r.body)
	}
}

func TestListTokensErrors(t *testing.T) {
	t.Parallel()
	ts := startTokenServer(t)
	for i := range 3 {
		ts.create(t, fmt.Sprintf("ct-%d", i), "")
	}
	var first listReply
	ts.call(t, "ListTokens", `{"MaxResults":1}`, false).ok(t, &first)
	if first.NextToken == nil {
		t.Fatal("a page of one of three tokens has no NextToken")
	}
	next := *first.NextToken
	filter := fmt.Sprintf(`"Filters":[{"Name":"LicenseArns","Values":[%q]}]`, lic)

	tests := []struct {
		name, body, code string
		words            []string
	}{
		{"zero results", `{"MaxResults":0}`, "ValidationException", []string{"maxResults", "greater than or equal to 1"}},
		{"101 results", `{"MaxResults":101}`, "ValidationException", []string{"maxResults", "less than or equal to 100"}},
		{"results as a string", `{"MaxResults":"5"}`, "SerializationException", []string{"MaxResults"}},
		{"token ids as a string", `{"TokenIds":"abc"}`, "SerializationException", []string{"TokenIds"}},
		{"another filter", `{"Filters":[{"Name":"Status","Values":["AVAILABLE"]}]}`, "ValidationException", []string{"filters.1.member.name", "LicenseArns"}},
		{"two values", fmt.Sprintf(`{"Filters":[{"Name":"LicenseArns","Values":[%q,%q]}]}`, lic, lic2), "ValidationException", []string{"filters.1.member.values"}},
		{"no values", `{"Filters":[{"Name":"LicenseArns","Values":[]}]}`, "ValidationException", []string{"filters.1.member.values"}},
		{"not a license", fmt.Sprintf(`{"Filters":[{"Name":"LicenseArns","Values":[%q]}]}`, role1), "ValidationException", []string{"filters.1.member.values.1.member"}},
		{"made-up NextToken", `{"NextToken":"abc"}`, "ValidationException", []string{"Invalid NextToken"}},
		{"altered NextToken", fmt.Sprintf(`{"NextToken":%q}`, alter(next)), "ValidationException", []string{"Invalid NextToken"}},
		{"NextToken with a filter it lacked", fmt.Sprintf(`{"NextToken":%q,%s}`, next, filter), "ValidationException", []string{"Invalid NextToken"}},
		{"NextToken with token ids it lacked", fmt.Sprintf(`{"NextToken":%q,"TokenIds":["x"]}`, next), "ValidationException", []string{"Invalid NextToken"}},
	}
	for _, tt := range tests {
		ts.call(t, "ListTokens", tt.body, false).wantError(t, tt.name, tt.code, tt.words...)
	}
	// The NextToken itself still works.
	var second listReply
	ts.call(t, "ListTokens", fmt.Sprintf(`{"NextToken":%q,"MaxResults":2}`, next), false).ok(t, &second)
	if len(second.Tokens) != 2 || second.NextToken != nil {
		t.Errorf("second page: %+v, want the other two tokens and no NextToken", second)
	}
}

// Pages stay consistent while tokens are created and deleted: no id twice,
// none missing of those that existed throughout. Between any two pages
// another goroutine creates a token and deletes one (new ids are random, so
// they land before and after the page boundary).
func TestListTokensPagingUnderWrites(t *testing.T) {
	t.Parallel()
	ts := startTokenServer(t)
	const n = 40
	var stable []string
	for i := range n {
		stable = append(stable, ts.create(t, fmt.Sprintf("ct-stable-%d", i), "").TokenId)
	}
	slices.Sort(stable)
	var doomed []string
	for i := range 60 {
		doomed = append(doomed, ts.create(t, fmt.Sprintf("ct-doomed-%d", i), "").TokenId)
	}

	step, stepped := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	defer wg.Wait()
	defer close(step)
	wg.Go(func() {
		defer close(stepped)
		for i := 0; ; i++ {
			if _, ok := <-step; !ok {
				return
			}
			r := ts.call(t, "CreateToken", createBody(fmt.Sprintf("ct-new-%d", i), ""), false)
			if r.status != 200 {
				t.Errorf("CreateToken: %d %s", r.status, r.body)
			}
			if i < len(doomed) {
				r = ts.call(t, "DeleteToken", fmt.Sprintf(`{"TokenId":%q}`, doomed[i]), false)
				if r.status != 200 {
					t.Errorf("DeleteToken: %d %s", r.status, r.body)
				}
			}
			stepped <- struct{}{}
		}
	})

	for pass := range 3 {
		var ids []string
		body := `{"MaxResults":3}`
		for {
			var page listReply
			ts.call(t, "ListTokens", body, false).ok(t, &page)
			for _, d := range page.Tokens {
				ids = append(ids, d.TokenId)
			}
			if page.NextToken == nil {
				break
			}
			step <- struct{}{}
			<-stepped
			body = fmt.Sprintf(`{"MaxResults":3,"NextToken":%q}`, *page.NextToken)
		}
		for i := 1; i < len(ids); i++ {
			if ids[i] <= ids[i-1] {
				t.Fatalf("pass %d: %s listed after %s", pass, ids[i], ids[i-1])
			}
		}
		for _, id := range stable {
			if _, found := slices.BinarySearch(ids, id); !found {
				t.Fatalf("pass %d: token %s, there throughout, was not listed", pass, id)
			}
		}
	}
}

func TestDeleteTokenOverHTTP(t *testing.T) {
	t.Parallel()
	ts := startTokenServer(t)
	a := ts.create(t, "ct-del", "")
	for _, attempt := range []string{"first", "again"} {
		r := ts.call(t, "DeleteToken", fmt.Sprintf(`{"TokenId":%q}`, a.TokenId), false)
		if r.status != 200 || string(r.body) != "{}" {
			t.Errorf("%s DeleteToken: %d %s, want 200 {}", attempt, r.status, r.body)
		}
	}
	tests := []struct {
		name, body, code string
		words            []string
	}{
		{"unknown id", `{"TokenId":"tok-does-not-exist"}`, "ResourceNotFoundException", []string{"tok-does-not-exist", "does not exist"}},
		{"no id", `{}`, "ValidationException", []string{"tokenId", "must not be null"}},
		{"empty id", `{"TokenId":""}`, "ValidationException", []string{"tokenId"}},
		{"id as a number", `{"TokenId":5}`, "SerializationException", []string{"TokenId"}},
	}
	for _, tt := range tests {
		ts.call(t, "DeleteToken", tt.body, false).wantError(t, tt.name, tt.code, tt.words...)
	}
}

// forge returns tok with a header naming alg and amr changed to admin,
// unsigned: the classic alg-none forgery (BR-22).
func forge(t *testing.T, tok, alg string) string {
	t.Helper()
	parts := strings.Split(tok, ".")
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(payload), `"env=prod"`, `"admin"`, 1)
	return base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"`+alg+`","typ":"JWT"}`)) + "." +
		base64.RawURLEncoding.EncodeToString([]byte(edited)) + "."
}

func TestGetAccessTokenOverHTTP(t *testing.T) {
	t.Parallel()
	ts := startTokenServer(t)
	a := ts.create(t, "ct-gat", "")
	for _, anonymous := range []bool{true, false} {
		var out struct{ AccessToken string }
		r := ts.call(t, "GetAccessToken", fmt.Sprintf(`{"Token":%q,"TokenProperties":["env=prod"]}`, a.Token), anonymous)
		r.ok(t, &out)
		c, err := ts.inst.Keys.Verify(out.AccessToken, token.UseAccess, ts.clock.Now())
		if err != nil {
			t.Fatalf("anonymous %v: access token: %v", anonymous, err)
		}
		if c.RefreshTokenID != a.TokenId || c.Audience != lic || c.Expiry-c.IssuedAt != 3600 {
			t.Errorf("anonymous %v: claims %+v", anonymous, c)
		}
		if !strings.HasPrefix(string(r.body), `{"AccessToken":"`) {
			t.Errorf("reply %s", r.body)
		}
	}
}

// Every way GetAccessToken can refuse a token: a modeled 400, never a 500,
// with a message that says which check failed, and the token not logged.
func TestGetAccessTokenErrors(t *testing.T) {
	t.Parallel()
	ts := startTokenServer(t)
	good := ts.create(t, "ct-good", "")
	deleted := ts.create(t, "ct-deleted", "")
	short := ts.create(t, "ct-short", `,"ExpirationInDays":1`)
	var none struct{}
	ts.call(t, "DeleteToken", fmt.Sprintf(`{"TokenId":%q}`, deleted.TokenId), false).ok(t, &none)
	var access struct{ AccessToken string }
	ts.call(t, "GetAccessToken", fmt.Sprintf(`{"Token":%q}`, good.Token), true).ok(t, &access)
	parts := strings.Split(good.Token, ".")
	foreign := startTokenServer(t).create(t, "ct-foreign", "")
	ts.clock.Add(24*time.Hour + token.Leeway + time.Second) // short has expired

	body := func(tok string) string { return fmt.Sprintf(`{"Token":%q}`, tok) }
	tests := []struct {
		name, body, code string
		words            []string
	}{
		{"no token", `{}`, "ValidationException", []string{"token", "must not be null"}},
		{"4097 characters", body(strings.Repeat("a", 4097)), "ValidationException", []string{"less than or equal to 4096"}},
		{"white space", body("a.b c"), "ValidationException", []string{`\S+`}},
		{"not a JWT", body("abc"), "ValidationException", []string{"JWT"}},
		{"four properties", fmt.Sprintf(`{"Token":%q,"TokenProperties":["a","b","c","d"]}`, good.Token), "ValidationException", []string{"tokenProperties"}},
		{"token as a list", `{"Token":["x"]}`, "SerializationException", []string{"Token"}},
		{"alg none", body(forge(t, good.Token, "none")), "AuthorizationException", []string{"signature is invalid"}},
		{"alg None", body(forge(t, good.Token, "None")), "AuthorizationException", []string{"signature is invalid"}},
		{"alg NONE", body(forge(t, good.Token, "NONE")), "AuthorizationException", []string{"signature is invalid"}},
		{"stripped signature", body(parts[0] + "." + parts[1] + "."), "AuthorizationException", []string{"signature is invalid"}},
		{"tampered payload", body(parts[0] + "." + strings.Split(forge(t, good.Token, "none"), ".")[1] + "." + parts[2]), "AuthorizationException", []string{"signature is invalid"}},
		{"another installation's token", body(foreign.Token), "AuthorizationException", []string{"not issued by this installation"}},
		{"unknown kid", body(base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"ES256","kid":"k1"}`)) + "." + parts[1] + "." + parts[2]), "AuthorizationException", []string{"not issued by this installation"}},
		{"an access token", body(access.AccessToken), "AuthorizationException", []string{"access token cannot be used here"}},
		{"deleted", body(deleted.Token), "AuthorizationException", []string{"was deleted"}},
		{"expired", body(short.Token), "AuthorizationException", []string{"has expired"}},
		{"other properties", fmt.Sprintf(`{"Token":%q,"TokenProperties":["env=dev"]}`, good.Token), "AuthorizationException", []string{"TokenProperties do not match"}},
	}
	for _, tt := range tests {
		for _, anonymous := range []bool{true, false} {
			ts.call(t, "GetAccessToken", tt.body, anonymous).wantError(t, fmt.Sprintf("%s (anonymous %v)", tt.name, anonymous), tt.code, tt.words...)
		}
	}
	logs := ts.logs.String()
	for _, tok := range []string{good.Token, deleted.Token, short.Token, access.AccessToken, parts[1]} {
		if strings.Contains(logs, tok) {
			t.Errorf("the server log holds a token: %.40s...", tok)
		}
	}
	if !strings.Contains(logs, `"msg":"token refused"`) || !strings.Contains(logs, `"reason":"The token signature is invalid."`) {
		t.Errorf("the log does not record the refusals and their reasons:\n%s", logs)
	}
	if strings.Contains(logs, `"level":"ERROR"`) {
		t.Errorf("a refused token was logged as a server error:\n%s", logs)
	}
}

// Authorization by kind of principal, and account isolation, checked on
// the API every server and the embedded command line share.
func TestAPIPrincipals(t *testing.T) {
	t.Parallel()
	ts := startTokenServer(t)
	api := ts.inst.API
	ctx := t.Context()
	acctA, acctB := auth.Embedded(account), auth.Embedded(account2)
	role := auth.Principal{
		Kind: auth.AssumedRole, AccountID: account, AccessKeyID: "ASIAEXAMPLE",
		RoleARN: role1, SessionName: "s1", LicenseARN: lic, TokenID: "t",
	}
	anon := auth.Principal{Kind: auth.Anonymous}

	call := func(p auth.Principal, op, body string) ([]byte, string, string) {
		reply, werr := api.Call(ctx, p, op, []byte(body))
		if werr != nil {
			if werr.Status >= 500 {
				t.Errorf("%s as %v: %d %s", op, p.Kind, werr.Status, werr.Code)
			}
			return nil, werr.Code, werr.Message
		}
		return reply, "", ""
	}
	reply, code, msg := call(acctA, "CreateToken", createBody("ct-p", ""))
	if code != "" {
		t.Fatalf("CreateToken: %s %s", code, msg)
	}
	var tok created
	json.Unmarshal(reply, &tok)
	for i := range 3 {
		call(acctA, "CreateToken", createBody(fmt.Sprintf("ct-p%d", i), ""))
	}

	// Token administration needs the account itself.
	for _, op := range []string{"CreateToken", "ListTokens", "DeleteToken"} {
		body := map[string]string{
			"CreateToken": createBody("ct-role", ""), "ListTokens": "{}",
			"DeleteToken": fmt.Sprintf(`{"TokenId":%q}`, tok.TokenId),
		}[op]
		if _, code, msg := call(role, op, body); code != "AccessDeniedException" ||
			!strings.Contains(msg, "arn:aws:sts::123456789012:assumed-role/LicenseConsumer/s1") || !strings.Contains(msg, "license-manager:"+op) {
			t.Errorf("%s with temporary credentials: %s %q, want AccessDeniedException naming the role and the action", op, code, msg)
		}
		if _, code, _ := call(anon, op, body); code != "AccessDeniedException" {
			t.Errorf("%s anonymously: %s, want AccessDeniedException", op, code)
		}
		if server.AcceptsAnonymous(op) {
			t.Errorf("AcceptsAnonymous(%s) = true", op)
		}
	}
	if !server.AcceptsAnonymous("GetAccessToken") {
		t.Error("AcceptsAnonymous(GetAccessToken) = false")
	}
	// The refresh token is the credential of GetAccessToken.
	for _, p := range []auth.Principal{anon, role, acctA, acctB} {
		if _, code, msg := call(p, "GetAccessToken", fmt.Sprintf(`{"Token":%q}`, tok.Token)); code != "" {
			t.Errorf("GetAccessToken as %v %s: %s %s", p.Kind, p.AccountID, code, msg)
		}
	}

	// Account B sees, changes and continues nothing of A's.
	reply, _, _ = call(acctB, "ListTokens", "{}")
	if string(reply) != `{"Tokens":[]}` {
		t.Errorf("account B lists %s", reply)
	}
	reply, _, _ = call(acctB, "ListTokens", fmt.Sprintf(`{"TokenIds":[%q]}`, tok.TokenId))
	if string(reply) != `{"Tokens":[]}` {
		t.Errorf("account B lists A's token by id: %s", reply)
	}
	if _, code, _ := call(acctB, "DeleteToken", fmt.Sprintf(`{"TokenId":%q}`, tok.TokenId)); code != "ResourceNotFoundException" {
		t.Errorf("account B deletes A's token: %q, want ResourceNotFoundException", code)
	}
	reply, _, _ = call(acctA, "ListTokens", `{"MaxResults":1}`)
	var page listReply
	json.Unmarshal(reply, &page)
	if page.NextToken == nil {
		t.Fatalf("ListTokens %s: no NextToken", reply)
	}
	if _, code, msg := call(acctB, "ListTokens", fmt.Sprintf(`{"NextToken":%q}`, *page.NextToken)); code != "ValidationException" || !strings.Contains(msg, "Invalid NextToken") {
		t.Errorf("account B continues A's listing: %s %q, want ValidationException Invalid NextToken", code, msg)
	}
	if _, code, _ := call(acctA, "GetAccessToken", fmt.Sprintf(`{"Token":%q}`, tok.Token)); code != "" {
		t.Errorf("A's token stopped working after B's attempts: %s", code)
	}
}

// alter changes one character in the middle of a sealed value, where every
// bit counts (the last base64 character may carry unused bits).
func alter(v string) string {
	b := []byte(v)
	i := len(b) / 2
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}
