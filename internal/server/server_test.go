package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/license-manager/license-manager/internal/auth"
	"github.com/license-manager/license-manager/internal/config"
	"github.com/license-manager/license-manager/internal/server"
	"github.com/license-manager/license-manager/internal/store"
	"github.com/license-manager/license-manager/internal/store/storetest"
	"github.com/license-manager/license-manager/internal/token"
)

const (
	account = "123456789012"
	lic     = "arn:aws:license-manager::123456789012:license:l-0123456789abcdef0123456789abcdef"
	role1   = "arn:aws:iam::123456789012:role/LicenseConsumer"
)

type testServer struct {
	url     string
	dataDir string
	inst    *server.Installation
	store   store.Store
	keys    *token.KeySet
	logs    *syncBuffer
	creds   aws.Credentials // the key the server created in its data directory
}

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

// start runs a real server on a free loopback port over a real SQLite file,
// wired as license-manager serve wires it.
func start(t *testing.T) *testServer {
	t.Helper()
	return startClock(t, time.Now)
}

// startClock is start with the token service on the clock now.
func startClock(t *testing.T, now func() time.Time) *testServer {
	t.Helper()
	cfg := config.Default(func(string) string { return "" })
	cfg.DataDir, cfg.Listen = t.TempDir(), "127.0.0.1:0"
	logs := &syncBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, nil))
	inst, err := server.Open(t.Context(), cfg, log, now)
	if err != nil {
		t.Fatal(err)
	}
	// CreateToken needs licenses that exist: the tests' two.
	for _, l := range []string{lic, lic2} {
		if err := storetest.AddLicense(t.Context(), inst.Store, l, ""); err != nil {
			inst.Close()
			t.Fatal(err)
		}
	}
	srv, err := inst.NewServer(log)
	if err != nil {
		inst.Close()
		t.Fatal(err)
	}
	// The server must outlive t.Context, which ends before Cleanup runs.
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
	keys, err := auth.LoadKeys(filepath.Join(cfg.DataDir, "credentials"))
	if err != nil || keys.Len() != 1 {
		t.Fatalf("the server's credentials file: %d keys, %v", keys.Len(), err)
	}
	var creds aws.Credentials
	for _, line := range strings.Split(readFile(t, filepath.Join(cfg.DataDir, "credentials")), "\n") {
		k, v, _ := strings.Cut(line, " = ")
		switch k {
		case "aws_access_key_id":
			creds.AccessKeyID = v
		case "aws_secret_access_key":
			creds.SecretAccessKey = v
		}
	}
	return &testServer{url: "http://" + srv.Addr(), dataDir: cfg.DataDir, inst: inst, store: inst.Store, keys: inst.Keys, logs: logs, creds: creds}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

func (ts *testServer) do(t *testing.T, method, target, body string) reply {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, ts.url+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if target != "" {
		req.Header.Set("X-Amz-Target", target)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	sum := sha256.Sum256([]byte(body))
	if err := v4.NewSigner().SignHTTP(t.Context(), ts.creds, req, hex.EncodeToString(sum[:]), "license-manager", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return reply{resp.StatusCode, resp.Header, b}
}

func (r reply) errorType(t *testing.T) string {
	t.Helper()
	var e struct {
		Type    string `json:"__type"`
		Message string `json:"Message"`
	}
	if err := json.Unmarshal(r.body, &e); err != nil {
		t.Fatalf("error body %q is not JSON: %v", r.body, err)
	}
	if e.Message == "" {
		t.Errorf("error body %s has no Message", r.body)
	}
	return e.Type
}

func createBody(ct string, extra string) string {
	return fmt.Sprintf(`{"LicenseArn":%q,"RoleArns":[%q],"TokenProperties":["env=prod"],"ClientToken":%q%s}`, lic, role1, ct, extra)
}

func TestCreateTokenOverHTTP(t *testing.T) {
	t.Parallel()
	ts := start(t)
	r := ts.do(t, "POST", "AWSLicenseManager.CreateToken", createBody("ct-http", ""))
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/x-amz-json-1.1" {
		t.Errorf("Content-Type = %q", ct)
	}
	var out struct{ TokenId, TokenType, Token string }
	if err := json.Unmarshal(r.body, &out); err != nil {
		t.Fatal(err)
	}
	if out.TokenType != "REFRESH_TOKEN" || out.TokenId == "" {
		t.Errorf("reply = %s", r.body)
	}
	// Keys in model order: TokenId, TokenType, Token.
	if !bytes.HasPrefix(r.body, []byte(`{"TokenId":`)) || !bytes.Contains(r.body, []byte(`"TokenType":"REFRESH_TOKEN","Token":`)) {
		t.Errorf("reply members out of model order: %s", r.body)
	}
	c, err := ts.keys.Verify(out.Token, token.UseRefresh, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if c.Audience != lic || c.Expiry-c.IssuedAt != 365*86400 {
		t.Errorf("claims = %+v, want aud %s and a 365-day life", c, lic)
	}
	if strings.Contains(ts.logs.String(), out.Token) {
		t.Error("the server log contains the token")
	}
}

// BR-05 (server side): nulls are absent, so the defaults apply.
func TestCreateTokenNulls(t *testing.T) {
	t.Parallel()
	ts := start(t)
	body := fmt.Sprintf(`{"LicenseArn":%q,"ClientToken":"ct-br05","RoleArns":null,"ExpirationInDays":null,"TokenProperties":null}`, lic)
	r := ts.do(t, "POST", "AWSLicenseManager.CreateToken", body)
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	var out struct{ Token string }
	json.Unmarshal(r.body, &out)
	c, err := ts.keys.Verify(out.Token, token.UseRefresh, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if c.Expiry-c.IssuedAt != 365*86400 || len(c.RoleARNs) != 0 || len(c.Properties()) != 0 {
		t.Errorf("claims = %+v, want 365 days, no roles, no properties", c)
	}
}

func TestWireErrors(t *testing.T) {
	t.Parallel()
	ts := start(t)
	tests := []struct {
		name, method, target, body string
		status                     int
		code                       string
	}{
		{"unknown operation", "POST", "AWSLicenseManager.NoSuchOperation", "{}", 400, "UnknownOperationException"},
		{"other service's target", "POST", "AmazonS3.ListBuckets", "{}", 400, "UnknownOperationException"},
		{"missing target", "POST", "", "{}", 400, "UnknownOperationException"},
		{"GET", "GET", "", "", 404, "UnknownOperationException"},
		{"malformed body", "POST", "AWSLicenseManager.CreateToken", `{"LicenseArn":`, 400, "SerializationException"},
		{"duplicate member", "POST", "AWSLicenseManager.CreateToken", createBody("ct-dup", `,"ClientToken":"other"`), 400, "SerializationException"},
		{"number as string", "POST", "AWSLicenseManager.CreateToken", createBody("ct-br06e", `,"ExpirationInDays":"30"`), 400, "SerializationException"},
		{"empty body", "POST", "AWSLicenseManager.CreateToken", "", 400, "ValidationException"},
		{"four properties", "POST", "AWSLicenseManager.CreateToken",
			fmt.Sprintf(`{"LicenseArn":%q,"ClientToken":"ct-4","TokenProperties":["a","b","c","d"]}`, lic), 400, "ValidationException"},
		{"body over the limit", "POST", "AWSLicenseManager.CreateToken", strings.Repeat(" ", 10<<20), 413, "RequestEntityTooLargeException"},
	}
	for _, tt := range tests {
		r := ts.do(t, tt.method, tt.target, tt.body)
		if r.status != tt.status {
			t.Errorf("%s: status = %d, want %d (%s)", tt.name, r.status, tt.status, r.body)
		}
		if got := r.errorType(t); got != tt.code {
			t.Errorf("%s: __type = %q, want %q", tt.name, got, tt.code)
		}
		if ct := r.header.Get("Content-Type"); ct != "application/x-amz-json-1.1" {
			t.Errorf("%s: Content-Type = %q", tt.name, ct)
		}
		if r.header.Get("x-amzn-RequestId") == "" || r.header.Get("Date") == "" {
			t.Errorf("%s: reply lacks x-amzn-RequestId or Date: %v", tt.name, r.header)
		}
	}
	toks, err := ts.store.ListTokens(t.Context(), store.TokenQuery{AccountID: account})
	if err != nil || len(toks) != 0 {
		t.Errorf("failed requests stored %d tokens (%v)", len(toks), err)
	}
}

// BR-14: a fresh request id on every reply, also in the log line.
func TestRequestIDs(t *testing.T) {
	t.Parallel()
	ts := start(t)
	a := ts.do(t, "POST", "AWSLicenseManager.CreateToken", createBody("ct-id", ""))
	b := ts.do(t, "POST", "AWSLicenseManager.CreateToken", "{")
	idA, idB := a.header.Get("x-amzn-RequestId"), b.header.Get("x-amzn-RequestId")
	if idA == "" || idA == idB {
		t.Errorf("request ids %q and %q, want two distinct ids", idA, idB)
	}
	logs := ts.logs.String()
	for _, id := range []string{idA, idB} {
		if !strings.Contains(logs, `"request_id":"`+id+`"`) {
			t.Errorf("log lacks request id %s:\n%s", id, logs)
		}
	}
}

func TestWellKnown(t *testing.T) {
	t.Parallel()
	ts := start(t)
	for path, want := range map[string]string{
		"/healthz":                          `"status":"ok"`,
		"/.well-known/jwks.json":            `"kid":"` + ts.keys.Active(token.ES256).KeyID() + `"`,
		"/.well-known/openid-configuration": `"jwks_uri":"http://127.0.0.1:8080/.well-known/jwks.json"`,
	} {
		resp, err := http.Get(ts.url + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
			t.Errorf("GET %s = %d %s, want it to contain %s", path, resp.StatusCode, body, want)
		}
		if strings.Contains(string(body), `"d":`) {
			t.Errorf("GET %s publishes private key material", path)
		}
	}
}

// 50 identical requests make one token; 1,000 distinct ones make 1,000.
func TestConcurrentCreateToken(t *testing.T) {
	t.Parallel()
	ts := start(t)
	var wg sync.WaitGroup
	ids := make([]string, 50)
	for i := range ids {
		wg.Go(func() {
			r := ts.do(t, "POST", "AWSLicenseManager.CreateToken", createBody("ct-same", ""))
			var out struct{ TokenId string }
			json.Unmarshal(r.body, &out)
			ids[i] = out.TokenId
		})
	}
	wg.Wait()
	for i := range ids {
		if ids[i] == "" || ids[i] != ids[0] {
			t.Fatalf("identical call %d got %q, call 0 got %q", i, ids[i], ids[0])
		}
	}

	const n = 1000
	sem := make(chan struct{}, 16)
	distinct := sync.Map{}
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			r := ts.do(t, "POST", "AWSLicenseManager.CreateToken", createBody(fmt.Sprintf("ct-%d", i), ""))
			var out struct{ TokenId string }
			if err := json.Unmarshal(r.body, &out); err != nil || r.status != 200 {
				t.Errorf("call %d: %d %s", i, r.status, r.body)
				return
			}
			distinct.Store(out.TokenId, true)
		}()
	}
	wg.Wait()
	count := 0
	distinct.Range(func(any, any) bool { count++; return true })
	toks, err := ts.store.ListTokens(t.Context(), store.TokenQuery{AccountID: account})
	if count != n || err != nil || len(toks) != n+1 {
		t.Errorf("distinct ids %d, stored %d (%v); want %d and %d", count, len(toks), err, n, n+1)
	}
}
