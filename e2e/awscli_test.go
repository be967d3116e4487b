package e2e

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// awsServiceErrorExit is the exit code of the installed aws CLI v1 when the
// service answers with an error: its driver sends every exception but a few
// (unknown argument, no region, no credentials, which also give 255) to one
// handler that returns 255. The v2 CLI, whose man page we follow, uses 254.
const awsServiceErrorExit = 255

// awsCLI runs aws commands against one server with a clean environment.
type awsCLI struct {
	t   *testing.T
	ts  *testServer
	env []string
	dir string
}

func newAWSCLI(t *testing.T) *awsCLI {
	t.Helper()
	requireTool(t, "aws")
	t.Parallel()
	return &awsCLI{t: t, ts: startServer(t), env: clientEnv(t), dir: t.TempDir()}
}

// createToken runs aws license-manager create-token with args against the
// server.
func (a *awsCLI) createToken(args ...string) result {
	a.t.Helper()
	return a.runEnv(a.env, args...)
}

func (a *awsCLI) runEnv(env []string, args ...string) result {
	a.t.Helper()
	argv := append([]string{"aws", "license-manager", "create-token", "--endpoint-url", a.ts.url}, args...)
	return run(a.t, env, a.dir, argv...)
}

// writeFile writes content to name in the command's directory and returns
// its file:// URL.
func (a *awsCLI) writeFile(name string, content []byte) string {
	a.t.Helper()
	path := filepath.Join(a.dir, name)
	if err := os.WriteFile(path, content, 0o600); err != nil {
		a.t.Fatal(err)
	}
	return "file://" + path
}

// createTokenOutput is the aws CLI's JSON output of create-token.
type createTokenOutput struct {
	TokenId   string
	TokenType string
	Token     string
}

// success requires exit 0 and nothing on stderr, and decodes stdout, which
// must hold exactly the three members of CreateTokenResponse.
func (a *awsCLI) success(r result) createTokenOutput {
	a.t.Helper()
	if r.code != 0 || len(r.stderr) != 0 {
		a.t.Fatalf("create-token: exit %d, want 0\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	var out createTokenOutput
	if err := decodeStrict(r.stdout, &out); err != nil {
		a.t.Fatalf("create-token printed %s: %v", r.stdout, err)
	}
	if out.TokenId == "" || out.TokenType != "REFRESH_TOKEN" || out.Token == "" {
		a.t.Errorf("create-token printed %s, want a TokenId, TokenType REFRESH_TOKEN and a Token", r.stdout)
	}
	return out
}

// serviceError requires the exit code of a service error, empty stdout, and
// a stderr line naming the CreateToken operation, the error code and each
// of the words.
func (a *awsCLI) serviceError(r result, code string, words ...string) {
	a.t.Helper()
	if r.code != awsServiceErrorExit {
		a.t.Errorf("create-token: exit %d, want %d\nstderr:\n%s", r.code, awsServiceErrorExit, r.stderr)
	}
	if len(r.stdout) != 0 {
		a.t.Errorf("create-token printed %q on stdout, want nothing", r.stdout)
	}
	want := "An error occurred (" + code + ") when calling the CreateToken operation: "
	stderr := string(r.stderr)
	if !strings.Contains(stderr, want) {
		a.t.Errorf("stderr = %q, want it to contain %q", stderr, want)
	}
	for _, w := range words {
		if !strings.Contains(stderr, w) {
			a.t.Errorf("stderr = %q, want it to name %q", stderr, w)
		}
	}
}

func TestAWSCLI(t *testing.T) {
	t.Run("creates a token and replays it for the same client token", func(t *testing.T) {
		a := newAWSCLI(t)
		args := []string{"--license-arn", licL, "--role-arns", roleR1,
			"--token-properties", "env=prod", "--client-token", "demo-1"}
		first := a.createToken(args...)
		out := a.success(first)
		again := a.createToken(args...)
		a.success(again)
		if !bytes.Equal(first.stdout, again.stdout) {
			t.Errorf("second run printed\n%s\nwant the first run's output byte for byte\n%s", again.stdout, first.stdout)
		}

		c := unverifiedClaims(t, out.Token)
		if c.Jti != out.TokenId || c.Aud != licL {
			t.Errorf("claims jti %q aud %q, want TokenId %q and %q", c.Jti, c.Aud, out.TokenId, licL)
		}
		if diff := cmp.Diff([]string{"env=prod", issuerAMR}, c.AMR); diff != "" {
			t.Errorf("amr (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{roleR1}, c.RoleARNs); diff != "" {
			t.Errorf("role_arns (-want +got):\n%s", diff)
		}
		if toks := a.ts.tokens(t); len(toks) != 1 || toks[0].ID != out.TokenId {
			t.Errorf("store holds %+v, want only token %s", toks, out.TokenId)
		}
	})

	t.Run("a fourth token property is refused by the server", func(t *testing.T) {
		a := newAWSCLI(t)
		r := a.createToken("--license-arn", licL, "--token-properties", "a", "b", "c", "d",
			"--client-token", "ct-br09c")
		a.serviceError(r, "ValidationException", "tokenProperties", "3")
		a.ts.requireNoTokens(t)
	})

	// BR-06d: the model has no minimum, so botocore sends these unchanged.
	t.Run("non-positive expiration in days is refused by the server", func(t *testing.T) {
		a := newAWSCLI(t)
		for _, days := range []string{"-5", "0"} {
			r := a.createToken("--license-arn", licL, "--expiration-in-days", days,
				"--client-token", "ct-br06d"+days)
			a.serviceError(r, "ValidationException", "expirationInDays", "'"+days+"'")
		}
		a.ts.requireNoTokens(t)
	})

	// BR-10b: the skeleton's "" and [""] placeholders are real values.
	t.Run("the unedited skeleton fed back is refused and creates nothing", func(t *testing.T) {
		a := newAWSCLI(t)
		r := run(t, a.env, a.dir, "aws", "license-manager", "create-token", "--generate-cli-skeleton")
		if r.code != 0 {
			t.Fatalf("--generate-cli-skeleton: exit %d\n%s", r.code, r.stderr)
		}
		var skel map[string]any
		if err := json.Unmarshal(r.stdout, &skel); err != nil {
			t.Fatalf("skeleton %s: %v", r.stdout, err)
		}
		if skel["LicenseArn"] != "" || skel["ClientToken"] != "" || skel["ExpirationInDays"] != 0.0 {
			t.Fatalf("skeleton %s lacks the empty placeholders this case is about", r.stdout)
		}
		r = a.createToken("--cli-input-json", a.writeFile("s.json", r.stdout))
		a.serviceError(r, "ValidationException", "licenseArn", "clientToken")
		a.ts.requireNoTokens(t)
	})

	// BR-07: botocore sends \u00e9 and surrogate-pair escapes; the token
	// must carry the same code points. Python coerces the C locale to
	// UTF-8, so arguments and files survive it.
	t.Run("non-ASCII token properties come back exactly in amr", func(t *testing.T) {
		a := newAWSCLI(t)
		props := []string{"équipe-α", "東京", "🔑"}
		env := append(a.env[:len(a.env):len(a.env)], "LC_ALL=C", "LANG=C")
		in, err := json.Marshal(map[string]any{
			"LicenseArn": licL, "ClientToken": "ct-br07-file", "TokenProperties": props,
		})
		if err != nil {
			t.Fatal(err)
		}
		runs := map[string][]string{
			"arguments": append([]string{"--license-arn", licL, "--client-token", "ct-br07-args",
				"--token-properties"}, props...),
			"input file": {"--cli-input-json", a.writeFile("in.json", in)},
		}
		for name, args := range runs {
			out := a.success(a.runEnv(env, args...))
			if diff := cmp.Diff(slices.Concat(props, []string{issuerAMR}), unverifiedClaims(t, out.Token).AMR); diff != "" {
				t.Errorf("%s: amr (-want +got):\n%s", name, diff)
			}
			if strings.ContainsAny(out.Token, "=+/") {
				t.Errorf("%s: token %q is not unpadded base64url", name, out.Token)
			}
		}
		for _, tok := range a.ts.tokens(t) {
			if diff := cmp.Diff(props, tok.Properties); diff != "" {
				t.Errorf("stored properties of %s (-want +got):\n%s", tok.ID, diff)
			}
		}
	})

	// BR-09a: a list of strings takes no shorthand, so a comma stays inside
	// its item.
	t.Run("a comma inside a token property does not split it", func(t *testing.T) {
		a := newAWSCLI(t)
		out := a.success(a.createToken("--license-arn", licL, "--client-token", "ct-br09",
			"--token-properties", "tier=gold,seats=5", "region=eu"))
		want := []string{"tier=gold,seats=5", "region=eu", issuerAMR}
		if diff := cmp.Diff(want, unverifiedClaims(t, out.Token).AMR); diff != "" {
			t.Errorf("amr (-want +got):\n%s", diff)
		}
	})

	// BR-01: the aws CLI replaces a top-level member of the input file with
	// the option's value; the token shows what the server received.
	t.Run("a list on the command line replaces the one in the input file", func(t *testing.T) {
		a := newAWSCLI(t)
		const roleCI = "arn:aws:iam::123456789012:role/CI"
		in, err := json.Marshal(map[string]any{
			"LicenseArn": licL, "RoleArns": []string{roleR1, roleR2},
			"ExpirationInDays": 7, "ClientToken": "ct-br01",
		})
		if err != nil {
			t.Fatal(err)
		}
		out := a.success(a.createToken("--cli-input-json", a.writeFile("in.json", in),
			"--role-arns", roleCI))
		c := unverifiedClaims(t, out.Token)
		if diff := cmp.Diff([]string{roleCI}, c.RoleARNs); diff != "" {
			t.Errorf("role_arns (-want +got):\n%s", diff)
		}
		if c.Aud != licL || c.Exp-c.Iat != 7*86400 {
			t.Errorf("aud %q, exp-iat %d; want %q and 7 days from the file", c.Aud, c.Exp-c.Iat, licL)
		}
		if diff := cmp.Diff([]string{issuerAMR}, c.AMR); diff != "" {
			t.Errorf("amr (-want +got):\n%s", diff)
		}
	})
}
