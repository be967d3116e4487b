package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/license-manager/license-manager/internal/config"
	"github.com/license-manager/license-manager/internal/server"
	"github.com/license-manager/license-manager/internal/store"
	"github.com/license-manager/license-manager/internal/store/storetest"
)

// Placeholders of docs/field-cases: the account the server acts for, two
// licenses and two roles.
const (
	account = "123456789012"
	licL    = "arn:aws:license-manager::123456789012:license:l-0123456789abcdef0123456789abcdef"
	licL2   = "arn:aws:license-manager::123456789012:license:l-fedcba9876543210fedcba9876543210"
	roleR1  = "arn:aws:iam::123456789012:role/LicenseConsumer"
	roleR2  = "arn:aws:iam::123456789012:role/Auditor"
	// licB is a license of another account, 210987654321.
	licB = "arn:aws:license-manager::210987654321:license:l-0123456789abcdef0123456789abcdef"
)

// issuer is configured on every test server. It differs from the default so
// a test can tell that iss comes from the configuration.
const issuer = "https://license-manager.e2e.example"

// issuerAMR is the amr entry the server appends for the issuing account.
const issuerAMR = "aws:license-manager:token-issuer-account-id:" + account

// The access key of the account: every test server has it in its
// credentials file (profile license-manager), and clients sign with it.
const (
	accessKeyID     = "AKIAEXAMPLE000000001"
	secretAccessKey = "example-secret"
	region          = "us-east-1"
)

// clientTimeout bounds every client process, so a hung client fails the
// test instead of stalling the suite.
const clientTimeout = 60 * time.Second

// requireAllEnv makes a missing client a failure instead of a skip.
const requireAllEnv = "LICENSE_MANAGER_TEST_REQUIRE_ALL"

// testServer is a license-manager server on a free loopback port with its
// own data directory.
type testServer struct {
	url  string
	inst *server.Installation
	logs *syncBuffer
}

// syncBuffer is a bytes.Buffer that the server's handlers may write to
// concurrently while a test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServer runs a server the way license-manager serve does and keeps
// its JSON log for assertions.
func startServer(tb testing.TB) *testServer {
	tb.Helper()
	logs := &syncBuffer{}
	ts := startServerLogging(tb, logs)
	ts.logs = logs
	return ts
}

// startQuietServer is startServer without a log, for benchmarks whose log
// would otherwise grow with b.N.
func startQuietServer(tb testing.TB) *testServer {
	tb.Helper()
	return startServerLogging(tb, io.Discard)
}

func startServerLogging(tb testing.TB, w io.Writer) *testServer {
	tb.Helper()
	return startServerWith(tb, w, "127.0.0.1:0", credentialsFile(profileKey{"license-manager", accessKeyID, secretAccessKey, account}))
}

// profileKey is a profile of a credentials file.
type profileKey struct{ profile, id, secret, account string }

// credentialsFile returns a credentials file holding keys.
func credentialsFile(keys ...profileKey) string {
	var b strings.Builder
	for _, k := range keys {
		b.WriteString("[" + k.profile + "]\naws_access_key_id = " + k.id +
			"\naws_secret_access_key = " + k.secret + "\naws_account_id = " + k.account + "\n")
	}
	return b.String()
}

// startServerWith runs a server on listen whose credentials file (in its
// data directory) holds credentials, logging to w.
func startServerWith(tb testing.TB, w io.Writer, listen, credentials string) *testServer {
	tb.Helper()
	cfg := config.Default(func(string) string { return "" })
	cfg.DataDir, cfg.Listen, cfg.Issuer = tb.TempDir(), listen, issuer
	if err := cfg.Validate(); err != nil {
		tb.Fatalf("test configuration: %v", err)
	}
	if err := os.WriteFile(cfg.CredentialsPath(), []byte(credentials), 0o600); err != nil {
		tb.Fatal(err)
	}
	log := slog.New(slog.NewJSONHandler(w, nil))
	inst, err := server.Open(tb.Context(), cfg, log, time.Now)
	if err != nil {
		tb.Fatalf("server.Open: %v", err)
	}
	if err := seedLicenses(tb.Context(), inst.Store); err != nil {
		inst.Close()
		tb.Fatal(err)
	}
	srv, err := inst.NewServer(log)
	if err != nil {
		inst.Close()
		tb.Fatalf("NewServer: %v", err)
	}
	// The server must outlive tb.Context, which ends before Cleanup runs.
	ctx, cancel := context.WithCancel(context.WithoutCancel(tb.Context()))
	done := make(chan error, 1)
	purged := make(chan struct{})
	go func() {
		defer close(purged)
		inst.PurgeLoop(ctx, time.Minute, log)
	}()
	go func() { done <- srv.Run(ctx) }()
	tb.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			tb.Errorf("Run: %v", err)
		}
		<-purged
		inst.Close()
	})
	return &testServer{url: "http://" + srv.Addr(), inst: inst}
}

// seedLicenses records the licenses the tests name by fixed ARNs (licL and
// licL2 of the test account, licB of accountB), which CreateToken requires
// to exist. The story tests create their licenses through the API.
func seedLicenses(ctx context.Context, st store.LicenseStore) error {
	for _, l := range []string{licL, licL2, licB} {
		if err := storetest.AddLicense(ctx, st, l, ""); err != nil {
			return err
		}
	}
	return nil
}

// tokens returns every token the server's store holds for the account.
// TODO(e2e): ask the server through ListTokens once it serves it, so these
// checks go through the API as a user's would.
func (ts *testServer) tokens(t testing.TB) []store.Token {
	t.Helper()
	toks, err := ts.inst.Store.ListTokens(t.Context(), store.TokenQuery{AccountID: account})
	if err != nil {
		t.Fatalf("ListTokens: %v", err)
	}
	return toks
}

// requireNoTokens fails the test if the server created any token.
func (ts *testServer) requireNoTokens(t *testing.T) {
	t.Helper()
	if toks := ts.tokens(t); len(toks) != 0 {
		t.Errorf("store holds %d tokens, want none: first is %+v", len(toks), toks[0])
	}
}

// logged reports whether the server logged a request line with the id.
func (ts *testServer) logged(requestID string) bool {
	return strings.Contains(ts.logs.String(), `"request_id":"`+requestID+`"`)
}

// claims are the claims of a refresh token as docs/token-format.md lists
// them. Decoding into it rejects any other claim.
type claims struct {
	Iss      string   `json:"iss"`
	Sub      string   `json:"sub"`
	Aud      string   `json:"aud"`
	AMR      []string `json:"amr"`
	RoleARNs []string `json:"role_arns"`
	TokenUse string   `json:"token_use"`
	Iat      int64    `json:"iat"`
	Nbf      int64    `json:"nbf"`
	Exp      int64    `json:"exp"`
	Jti      string   `json:"jti"`
}

// decodeStrict parses data into v, refusing members v does not declare.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data after the JSON value")
	}
	return nil
}

// unverifiedClaims decodes the payload of a compact JWS without checking its
// signature: what the server put in the token, which is what it received.
func unverifiedClaims(t testing.TB, token string) claims {
	t.Helper()
	return unverifiedPayload[claims](t, token)
}

// unverifiedPayload decodes a compact JWS's payload into T strictly.
func unverifiedPayload[T any](t testing.TB, token string) T {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d segments, want 3: %q", len(parts), token)
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatalf("token payload is not unpadded base64url: %v", err)
	}
	var c T
	if err := decodeStrict(payload, &c); err != nil {
		t.Fatalf("token payload %s: %v", payload, err)
	}
	return c
}

// A tool is a client the tests need, and how to tell it is installed.
type tool struct {
	part  string   // what the tests lose without it
	probe []string // a command that succeeds only if it is usable
}

var tools = map[string]tool{
	"aws":     {"the aws CLI part", []string{"aws", "--version"}},
	"boto3":   {"the boto3 part", []string{"python3", "-c", "import boto3"}},
	"joserfc": {"the joserfc part", []string{"python3", "-c", "import joserfc"}},
	"pyjwt":   {"the PyJWT part", []string{"/usr/bin/python3", "-c", "import jwt, cryptography"}},
}

// probes runs each tool's probe once per test binary: interpreters start
// slowly, and several tests ask for the same one.
var probes sync.Map // name -> func() error

// requireTool skips the test when the named client (a key of tools) is
// missing, or fails it when LICENSE_MANAGER_TEST_REQUIRE_ALL is 1. It
// returns the executable to run.
func requireTool(t testing.TB, name string) string {
	t.Helper()
	tl, ok := tools[name]
	if !ok {
		t.Fatalf("requireTool: unknown tool %q", name)
	}
	probe, _ := probes.LoadOrStore(name, sync.OnceValue(func() error {
		ctx, cancel := context.WithTimeout(context.Background(), clientTimeout)
		defer cancel()
		out, err := exec.CommandContext(ctx, tl.probe[0], tl.probe[1:]...).CombinedOutput()
		if err != nil {
			return errors.New(strings.TrimSpace(err.Error() + ": " + string(out)))
		}
		return nil
	}))
	if err := probe.(func() error)(); err != nil {
		msg := "%s needs %q, which is not usable: %v"
		if os.Getenv(requireAllEnv) == "1" {
			t.Fatalf(msg+" (%s=1, so this fails instead of skipping)", tl.part, strings.Join(tl.probe, " "), err, requireAllEnv)
		}
		t.Skipf(msg+"; skipping it", tl.part, strings.Join(tl.probe, " "), err)
	}
	return tl.probe[0]
}

// clientEnv returns the environment for a client process: the caller's,
// minus anything that could route, sign or configure AWS calls differently
// (AWS_*, proxies, HOME), plus the dummy credentials and empty config files
// in a fresh HOME, so the user's own configuration never leaks in.
func clientEnv(t testing.TB) []string {
	t.Helper()
	home := t.TempDir()
	cfgFile := filepath.Join(home, "aws-config")
	credFile := filepath.Join(home, "aws-credentials")
	for _, f := range []string{cfgFile, credFile} {
		if err := os.WriteFile(f, nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		up := strings.ToUpper(k)
		if strings.HasPrefix(up, "AWS_") || strings.HasPrefix(up, "BOTO_") ||
			strings.HasSuffix(up, "_PROXY") || up == "HOME" {
			continue
		}
		env = append(env, kv)
	}
	return append(env,
		"HOME="+home,
		"AWS_CONFIG_FILE="+cfgFile,
		"AWS_SHARED_CREDENTIALS_FILE="+credFile,
		"AWS_ACCESS_KEY_ID="+accessKeyID,
		"AWS_SECRET_ACCESS_KEY="+secretAccessKey,
		"AWS_DEFAULT_REGION="+region,
		"AWS_EC2_METADATA_DISABLED=true",
		"NO_PROXY=127.0.0.1,localhost",
		"no_proxy=127.0.0.1,localhost",
	)
}

// result is what a client process did.
type result struct {
	code   int
	stdout []byte
	stderr []byte
}

// run runs a client process in dir with env and returns its exit code and
// output; only a failure to start it fails the test.
func run(t testing.TB, env []string, dir string, argv ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), clientTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env, cmd.Dir = env, dir
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit) && ctx.Err() == nil:
	case err != nil:
		t.Fatalf("run %q: %v\nstderr:\n%s", argv, err, stderr.Bytes())
	}
	return result{code: cmd.ProcessState.ExitCode(), stdout: stdout.Bytes(), stderr: stderr.Bytes()}
}

// runPython runs a script from testdata with the interpreter and decodes
// the one JSON document it prints into out.
func runPython(t testing.TB, interpreter, script string, out any, args ...string) {
	t.Helper()
	abs, err := filepath.Abs(filepath.Join("testdata", script))
	if err != nil {
		t.Fatal(err)
	}
	r := run(t, clientEnv(t), t.TempDir(), append([]string{interpreter, abs}, args...)...)
	if r.code != 0 {
		t.Fatalf("%s %s: exit %d\nstdout:\n%s\nstderr:\n%s", interpreter, script, r.code, r.stdout, r.stderr)
	}
	if err := decodeStrict(r.stdout, out); err != nil {
		t.Fatalf("%s %s printed %s: %v\nstderr:\n%s", interpreter, script, r.stdout, err, r.stderr)
	}
}
