package e2e

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/licensemanager"
	"github.com/aws/aws-sdk-go-v2/service/licensemanager/types"
	"github.com/google/go-cmp/cmp"

	"github.com/license-manager/license-manager/internal/auth"
	"github.com/license-manager/license-manager/internal/cli"
	"github.com/license-manager/license-manager/internal/config"
	"github.com/license-manager/license-manager/internal/server"
	"github.com/license-manager/license-manager/internal/testclock"
)

// tokISO8601 is the model's ISO8601DateTime pattern, which ExpirationTime
// must match.
var tokISO8601 = regexp.MustCompile(`^(-?(?:[1-9][0-9]*)?[0-9]{4})-(1[0-2]|0[1-9])-(3[0-1]|0[1-9]|[1-2][0-9])T(2[0-3]|[0-1][0-9]):([0-5][0-9]):([0-5][0-9])(\.[0-9]+)?(Z|[+-](?:2[ 0-3]|[0-1][0-9]):[0-5][0-9])+$`)

// tokAccessClaims are the claims of an access token, as
// docs/token-format.md lists them: a refresh token's and the parent's id.
// Decoding refuses any other claim.
type tokAccessClaims struct {
	claims
	RefreshTokenID string `json:"refresh_token_id"`
}

func tokDecodeAccess(t *testing.T, tok string) tokAccessClaims {
	t.Helper()
	return unverifiedPayload[tokAccessClaims](t, tok)
}

// tokData is TokenData as the clients print it.
type tokData struct {
	TokenId         string
	TokenType       string
	LicenseArn      string
	ExpirationTime  string
	TokenProperties []string
	RoleArns        []string
	Status          string
}

// boto3TokensReply is one reply that testdata/boto3_tokens.py records: the
// members of whichever operation it was, or the error.
type boto3TokensReply struct {
	TokenId     string
	TokenType   string
	Token       string
	Tokens      []tokData
	NextToken   string
	AccessToken string
	Error       *boto3Error
}

func TestTokensBoto3(t *testing.T) {
	python := requireTool(t, "boto3")
	t.Parallel()
	ts := startServer(t)

	var got struct {
		Created                              []boto3TokensReply
		Pages                                []boto3TokensReply
		Filtered, BadNextToken               boto3TokensReply
		Access, Deleted, Unknown             boto3TokensReply
		AccessAfterDelete, ListedAfterDelete boto3TokensReply
	}
	runPython(t, python, "boto3_tokens.py", &got, ts.url, licL, licL2)

	var ids, onL2 []string
	for i, c := range got.Created {
		if c.Error != nil || c.TokenId == "" {
			t.Fatalf("create_token %d: %+v", i, c)
		}
		ids = append(ids, c.TokenId)
		if i%2 == 1 {
			onL2 = append(onL2, c.TokenId)
		}
	}
	slices.Sort(ids)
	slices.Sort(onL2)

	// Pages of two, in id order, each token once, NextToken on all but the
	// last.
	var listed []string
	for i, p := range got.Pages {
		if p.Error != nil {
			t.Fatalf("list_tokens page %d: %+v", i+1, *p.Error)
		}
		if len(p.Tokens) > 2 || (p.NextToken == "") != (i == len(got.Pages)-1) {
			t.Errorf("page %d: %d tokens, NextToken %q", i+1, len(p.Tokens), p.NextToken)
		}
		for _, d := range p.Tokens {
			listed = append(listed, d.TokenId)
			if d.TokenType != "REFRESH_TOKEN" || d.Status != "AVAILABLE" || !tokISO8601.MatchString(d.ExpirationTime) {
				t.Errorf("TokenData %+v", d)
			}
			if diff := cmp.Diff([]string{"équipe-α", "🔑"}, d.TokenProperties); diff != "" {
				t.Errorf("TokenProperties (-want +got):\n%s", diff)
			}
		}
	}
	if diff := cmp.Diff(ids, listed); diff != "" || len(got.Pages) != 3 {
		t.Errorf("%d pages listed (-want +got):\n%s", len(got.Pages), diff)
	}
	var filtered []string
	for _, d := range got.Filtered.Tokens {
		filtered = append(filtered, d.TokenId)
	}
	if diff := cmp.Diff(onL2, filtered); diff != "" {
		t.Errorf("filtered by license (-want +got):\n%s", diff)
	}
	tokWantBoto3Error(t, "list_tokens with a forged NextToken", got.BadNextToken, "ValidationException", "Invalid NextToken")

	// Anonymous GetAccessToken (botocore UNSIGNED), then DeleteToken.
	if got.Access.Error != nil {
		t.Fatalf("get_access_token: %+v", *got.Access.Error)
	}
	c := tokDecodeAccess(t, got.Access.AccessToken)
	if c.RefreshTokenID != got.Created[0].TokenId || c.TokenUse != "access" || c.Aud != licL || c.Exp-c.Iat != 3600 {
		t.Errorf("access token claims %+v", c)
	}
	if got.Deleted.Error != nil {
		t.Errorf("delete_token: %+v", *got.Deleted.Error)
	}
	tokWantBoto3Error(t, "delete_token of an unknown id", got.Unknown, "ResourceNotFoundException", "tok-does-not-exist")
	tokWantBoto3Error(t, "get_access_token after delete_token", got.AccessAfterDelete, "AuthorizationException", "deleted")
	if l := got.ListedAfterDelete.Tokens; len(l) != 1 || l[0].Status != "DELETED" {
		t.Errorf("list_tokens after delete_token: %+v, want the token DELETED", l)
	}
}

func tokWantBoto3Error(t *testing.T, what string, r boto3TokensReply, code, words string) {
	t.Helper()
	e := r.Error
	if e == nil {
		t.Errorf("%s succeeded: %+v", what, r)
		return
	}
	if !e.Modeled || e.Class != code || e.Code != code || e.HTTPStatusCode != 400 || !strings.Contains(e.Message, words) {
		t.Errorf("%s raised %+v, want the modeled %s (400) saying %q", what, *e, code, words)
	}
	if e.RequestId == "" {
		t.Errorf("%s: no RequestId", what)
	}
}

func TestTokensGoSDK(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	client := newSDKClient(t, ts)
	anonymous := newSDKClient(t, ts, func(o *licensemanager.Options) { o.Credentials = aws.AnonymousCredentials{} })
	ctx := t.Context()

	var ids []string
	refresh := map[string]string{}
	for i := range 5 {
		out, err := client.CreateToken(ctx, &licensemanager.CreateTokenInput{
			LicenseArn: aws.String(licL), RoleArns: []string{roleR1},
			ExpirationInDays: aws.Int32(int32(i + 1)), ClientToken: aws.String(fmt.Sprintf("sdk-tokens-%d", i)),
		})
		if err != nil {
			t.Fatalf("CreateToken: %v", err)
		}
		ids = append(ids, aws.ToString(out.TokenId))
		refresh[aws.ToString(out.TokenId)] = aws.ToString(out.Token)
	}
	slices.Sort(ids)

	t.Run("ListTokens pages", func(t *testing.T) {
		var listed []string
		in := &licensemanager.ListTokensInput{MaxResults: aws.Int32(2)}
		for pages := 1; ; pages++ {
			out, err := client.ListTokens(ctx, in)
			if err != nil {
				t.Fatalf("ListTokens: %v", err)
			}
			for _, d := range out.Tokens {
				listed = append(listed, aws.ToString(d.TokenId))
				exp, err := time.Parse(time.RFC3339, aws.ToString(d.ExpirationTime))
				if err != nil {
					t.Errorf("ExpirationTime %q: %v", aws.ToString(d.ExpirationTime), err)
				}
				if want := unverifiedClaims(t, refresh[aws.ToString(d.TokenId)]).Exp; exp.Unix() != want || exp.Location() != time.UTC {
					t.Errorf("ExpirationTime %q, want exp %d in UTC", aws.ToString(d.ExpirationTime), want)
				}
			}
			if out.NextToken == nil {
				if pages != 3 {
					t.Errorf("%d pages of two for five tokens", pages)
				}
				break
			}
			in.NextToken = out.NextToken
		}
		if diff := cmp.Diff(ids, listed); diff != "" {
			t.Errorf("listed ids (-want +got):\n%s", diff)
		}
		_, err := client.ListTokens(ctx, &licensemanager.ListTokensInput{NextToken: aws.String("forged")})
		var ve *types.ValidationException
		if !errors.As(err, &ve) || !strings.Contains(ve.ErrorMessage(), "Invalid NextToken") {
			t.Errorf("a forged NextToken: %v, want *types.ValidationException", err)
		}
	})

	t.Run("GetAccessToken anonymously, DeleteToken", func(t *testing.T) {
		id := ids[0]
		out, err := anonymous.GetAccessToken(ctx, &licensemanager.GetAccessTokenInput{Token: aws.String(refresh[id])})
		if err != nil {
			t.Fatalf("GetAccessToken: %v", err)
		}
		if c := tokDecodeAccess(t, aws.ToString(out.AccessToken)); c.RefreshTokenID != id || c.TokenUse != "access" {
			t.Errorf("access token claims %+v", c)
		}
		if _, err := client.DeleteToken(ctx, &licensemanager.DeleteTokenInput{TokenId: aws.String(id)}); err != nil {
			t.Fatalf("DeleteToken: %v", err)
		}
		_, err = anonymous.GetAccessToken(ctx, &licensemanager.GetAccessTokenInput{Token: aws.String(refresh[id])})
		var ae *types.AuthorizationException
		if !errors.As(err, &ae) || !strings.Contains(ae.ErrorMessage(), "deleted") {
			t.Errorf("GetAccessToken after DeleteToken: %v, want *types.AuthorizationException saying deleted", err)
		}
		_, err = client.DeleteToken(ctx, &licensemanager.DeleteTokenInput{TokenId: aws.String("tok-does-not-exist")})
		var nf *types.ResourceNotFoundException
		if !errors.As(err, &nf) || !strings.Contains(nf.ErrorMessage(), "tok-does-not-exist") {
			t.Errorf("DeleteToken of an unknown id: %v, want *types.ResourceNotFoundException", err)
		}
		list, err := client.ListTokens(ctx, &licensemanager.ListTokensInput{TokenIds: []string{id}})
		if err != nil || len(list.Tokens) != 1 || aws.ToString(list.Tokens[0].Status) != "DELETED" {
			t.Errorf("ListTokens after DeleteToken: %+v, %v", list, err)
		}
	})
}

// tokSkeletonCommands are the commands of this part whose skeletons
// skeletons.md holds.
var tokSkeletonCommands = []string{"list-tokens", "delete-token", "get-access-token"}

// The skeletons of list-tokens, delete-token and get-access-token, from
// the built binary, byte for byte as aws CLI v2 prints them; nothing is
// sent and no store is opened.
func TestTokensCLISkeletons(t *testing.T) {
	var n int
	for _, sc := range readSkeletons(t) {
		args := strings.Fields(sc.command)
		if !slices.Contains(tokSkeletonCommands, args[0]) {
			continue
		}
		n++
		t.Run(sc.command, func(t *testing.T) {
			t.Parallel()
			c := newLM(t)
			want := sc.text + "\n"
			if sc.text == "" { // aws printed nothing at all
				want = ""
			}
			wantResult(t, c.run(args...), sc.exit, want, "")
			if err := c.untouched(); err != nil {
				t.Errorf("the skeleton opened the store: %v", err)
			}
		})
	}
	// Three input forms each and the three output skeletons.
	if n != 12 {
		t.Errorf("skeletons.md has %d blocks for %v, want 12", n, tokSkeletonCommands)
	}
}

// The three commands on the embedded store, as a script would use them.
func TestTokensCLIEmbedded(t *testing.T) {
	t.Parallel()
	c := newLM(t)
	// BR-07 under a C locale.
	env := c.withEnv("LC_ALL=C", "LANG=C")
	props := []string{"équipe-α", "東京", "🔑"}
	var toks []createTokenOutput
	for i, lic := range []string{licL, licL2, licL} {
		args := []string{"create-token", "--license-arn", lic, "--client-token", fmt.Sprintf("ct-emb-%d", i),
			"--expiration-in-days", "1", "--role-arns", roleR1, "--token-properties"}
		toks = append(toks, wantOutput(t, c.runEnv(env, append(args, props...)...)))
	}

	// list-tokens: the three tokens, ExpirationTime = exp in ISO 8601 UTC
	// (BR-26), the properties unchanged (BR-07).
	r := c.runEnv(env, "list-tokens")
	var list struct{ Tokens []tokData }
	if r.code != 0 || decodeStrict(r.stdout, &list) != nil || len(list.Tokens) != 3 {
		t.Fatalf("list-tokens: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for _, d := range list.Tokens {
		i := slices.IndexFunc(toks, func(o createTokenOutput) bool { return o.TokenId == d.TokenId })
		if i < 0 {
			t.Fatalf("list-tokens shows unknown token %s", d.TokenId)
		}
		cl := unverifiedClaims(t, toks[i].Token)
		want := tokData{
			TokenId: d.TokenId, TokenType: "REFRESH_TOKEN", LicenseArn: cl.Aud,
			ExpirationTime:  time.Unix(cl.Exp, 0).UTC().Format("2006-01-02T15:04:05Z"),
			TokenProperties: props, RoleArns: []string{roleR1}, Status: "AVAILABLE",
		}
		if diff := cmp.Diff(want, d); diff != "" {
			t.Errorf("list-tokens entry (-want +got):\n%s", diff)
		}
		if cl.Exp-cl.Iat != 86400 || !tokISO8601.MatchString(d.ExpirationTime) {
			t.Errorf("exp - iat = %d, ExpirationTime %q", cl.Exp-cl.Iat, d.ExpirationTime)
		}
	}

	// The filter in shorthand and as JSON; pages through --next-token.
	onL2 := toks[1].TokenId
	for _, filter := range []string{"Name=LicenseArns,Values=" + licL2, `[{"Name":"LicenseArns","Values":["` + licL2 + `"]}]`} {
		r := c.run("list-tokens", "--filters", filter, "--query", "Tokens[].TokenId", "--output", "text")
		wantResult(t, r, 0, onL2+"\n", "")
	}
	var walked []string
	next := []string{}
	for range 5 {
		r := c.run(append([]string{"list-tokens", "--max-results", "1"}, next...)...)
		var page struct {
			Tokens    []tokData
			NextToken string
		}
		if r.code != 0 || decodeStrict(r.stdout, &page) != nil || len(page.Tokens) != 1 {
			t.Fatalf("list-tokens page: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
		}
		walked = append(walked, page.Tokens[0].TokenId)
		if page.NextToken == "" {
			break
		}
		next = []string{"--next-token", page.NextToken}
	}
	var all []string
	for _, o := range toks {
		all = append(all, o.TokenId)
	}
	slices.Sort(all)
	if diff := cmp.Diff(all, walked); diff != "" {
		t.Errorf("pages of one (-want +got):\n%s", diff)
	}

	// get-access-token with the properties (BR-07), and without.
	r = c.runEnv(env, append([]string{"get-access-token", "--token", toks[0].Token, "--token-properties"}, props...)...)
	var at struct{ AccessToken string }
	if r.code != 0 || decodeStrict(r.stdout, &at) != nil {
		t.Fatalf("get-access-token: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	ac := tokDecodeAccess(t, at.AccessToken)
	if diff := cmp.Diff(append(slices.Clone(props), issuerAMR), ac.AMR); diff != "" {
		t.Errorf("access token amr (-want +got):\n%s", diff)
	}
	if ac.RefreshTokenID != toks[0].TokenId || ac.Aud != licL || ac.TokenUse != "access" {
		t.Errorf("access token claims %+v", ac)
	}
	r = c.run("get-access-token", "--token", toks[0].Token, "--token-properties", "équipe-β")
	wantResult(t, r, cli.ExitService, "", "\nAn error occurred (AuthorizationException) when calling the GetAccessToken operation: "+
		"TokenProperties do not match the token: each must be one of the token's properties.\n")

	// BR-11a: an unknown id; stdout stays empty despite --query.
	r = c.run("delete-token", "--token-id", "tok-does-not-exist", "--query", "TokenId", "--output", "text")
	wantResult(t, r, cli.ExitService, "", "\nAn error occurred (ResourceNotFoundException) when calling the DeleteToken operation: "+
		"The token 'tok-does-not-exist' does not exist.\n")

	// delete-token prints nothing, and the token stops working at once.
	wantResult(t, c.run("delete-token", "--token-id", toks[0].TokenId), 0, "", "")
	r = c.run("list-tokens", "--token-ids", toks[0].TokenId, "--query", "Tokens[0].Status", "--output", "text")
	wantResult(t, r, 0, "DELETED\n", "")
	r = c.run("get-access-token", "--token", toks[0].Token, "--query", "AccessToken", "--output", "text")
	wantResult(t, r, cli.ExitService, "", "\nAn error occurred (AuthorizationException) when calling the GetAccessToken operation: The token was deleted.\n")
	// Deleting again succeeds.
	wantResult(t, c.run("delete-token", "--token-id", toks[0].TokenId), 0, "", "")

	// An access token is not a refresh token.
	r = c.run("get-access-token", "--token", at.AccessToken)
	wantResult(t, r, cli.ExitService, "", "\nAn error occurred (AuthorizationException) when calling the GetAccessToken operation: "+
		"The token is not a refresh token. An access token cannot be used here; pass a refresh token.\n")
}

// BR-22: forged refresh tokens through the binary against a server, signed
// and unsigned: a modeled 254 saying the signature is invalid, and the log
// records the refusal without the token.
func TestTokensCLIForgeries(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	c := newLM(t)
	c.endpoint = ts.url
	tok := wantOutput(t, c.createToken("--license-arn", licL, "--client-token", "ct-br22", "--token-properties", "env=prod"))
	parts := strings.Split(tok.Token, ".")
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var claims map[string]any
	if err := json.Unmarshal(payload, &claims); err != nil {
		t.Fatal(err)
	}
	claims["amr"] = []string{"admin"}
	edited := base64.RawURLEncoding.EncodeToString(mustJSON(t, claims))
	b64 := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

	forgeries := map[string]string{
		"alg none":                 b64(`{"alg":"none","typ":"JWT"}`) + "." + edited + ".",
		"alg None":                 b64(`{"alg":"None","typ":"JWT"}`) + "." + edited + ".",
		"alg NONE":                 b64(`{"alg":"NONE","typ":"JWT"}`) + "." + edited + ".",
		"original header unsigned": parts[0] + "." + edited + ".",
		"stripped signature":       parts[0] + "." + parts[1] + ".",
		"tampered payload":         parts[0] + "." + edited + "." + parts[2],
	}
	const want = "\nAn error occurred (AuthorizationException) when calling the GetAccessToken operation: The token signature is invalid.\n"
	for name, forged := range forgeries {
		for _, extra := range [][]string{nil, {"--no-sign-request"}} {
			args := append(slices.Clone(extra), "get-access-token", "--token", forged)
			r := c.run(args...)
			if r.code != cli.ExitService || len(r.stdout) != 0 || string(r.stderr) != want {
				t.Errorf("%s %v: exit %d\nstdout %q\nstderr %q\nwant 254 and %q", name, extra, r.code, r.stdout, r.stderr, want)
			}
		}
	}
	logs := ts.logs.String()
	if strings.Count(logs, `"reason":"The token signature is invalid."`) != 2*len(forgeries) {
		t.Errorf("the log does not record each refusal:\n%s", logs)
	}
	for name, forged := range forgeries {
		if strings.Contains(logs, strings.TrimSuffix(forged, ".")) {
			t.Errorf("the log holds the %s forgery", name)
		}
	}
	if strings.Contains(logs, tok.Token) || strings.Contains(logs, parts[1]) {
		t.Error("the log holds the refresh token")
	}
}

// startClockServer runs a server whose token service reads clock, so a
// test can move past an expiry without waiting or faking the process
// clock.
func startClockServer(t *testing.T, clock *testclock.Clock) *testServer {
	t.Helper()
	cfg := config.Default(func(string) string { return "" })
	cfg.DataDir, cfg.Listen, cfg.Issuer = t.TempDir(), "127.0.0.1:0", issuer
	logs := &syncBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, nil))
	inst, err := server.Open(t.Context(), cfg, log, clock.Now)
	if err != nil {
		t.Fatalf("server.Open: %v", err)
	}
	if err := seedLicenses(t.Context(), inst.Store); err != nil {
		inst.Close()
		t.Fatal(err)
	}
	srv, err := inst.NewServer(log)
	if err != nil {
		inst.Close()
		t.Fatalf("NewServer: %v", err)
	}
	ctx, cancel := context.WithCancel(context.WithoutCancel(t.Context()))
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		inst.Close()
	})
	return &testServer{url: "http://" + srv.Addr(), inst: inst, logs: logs}
}

// BR-26: a refresh token is good up to its expiry plus the 60-second
// leeway; after that get-access-token exits 254 with the modeled error
// saying it expired.
func TestTokensCLIExpiredRefreshToken(t *testing.T) {
	t.Parallel()
	clock := testclock.New(time.Now().UTC().Truncate(time.Second))
	ts := startClockServer(t, clock)
	// The account's own call, in process: the server's keys are not this
	// test's concern.
	reply, werr := ts.inst.API.Call(t.Context(), auth.Embedded(account), "CreateToken",
		mustJSON(t, map[string]any{"LicenseArn": licL, "ClientToken": "ct-br26", "ExpirationInDays": 1}))
	if werr != nil {
		t.Fatal(werr)
	}
	var tok createTokenOutput
	if err := json.Unmarshal(reply, &tok); err != nil {
		t.Fatal(err)
	}
	c := newLM(t)
	c.endpoint = ts.url
	get := func() result {
		return c.run("--no-sign-request", "get-access-token", "--token", tok.Token, "--query", "AccessToken", "--output", "text")
	}

	clock.Add(24*time.Hour + 60*time.Second) // the last second of the leeway
	r := get()
	if r.code != 0 || tokDecodeAccess(t, strings.TrimSpace(string(r.stdout))).RefreshTokenID != tok.TokenId {
		t.Fatalf("within the leeway: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	clock.Add(time.Second)
	wantResult(t, get(), cli.ExitService, "",
		"\nAn error occurred (AuthorizationException) when calling the GetAccessToken operation: The token has expired.\n")
}
