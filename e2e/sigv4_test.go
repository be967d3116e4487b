package e2e

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/licensemanager"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/license-manager/license-manager/internal/auth"
	"github.com/license-manager/license-manager/internal/sigv4"
)

// updateVectorsEnv, set to 1, makes TestSigV4RealClientsRecorded write the
// requests it captured to internal/sigv4/testdata, the fixed vectors of
// that package's tests.
const updateVectorsEnv = "LICENSE_MANAGER_UPDATE_SIGV4_VECTORS"

// The caller's ARN for the credentials-file key of profile license-manager.
const userARN = "arn:aws:iam::" + account + ":user/license-manager"

// recorder is an HTTP server that keeps every request as it arrived and
// answers with a canned success, so that clients sign and send requests
// whose exact bytes a test can verify afterwards.
type recorder struct {
	url  string
	mu   sync.Mutex
	reqs []captured
}

// captured is a request as the recorder received it.
type captured struct {
	raw      []byte
	received time.Time
}

func startRecorder(t *testing.T, listen string) *recorder {
	t.Helper()
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		t.Fatalf("listen on %s: %v", listen, err)
	}
	rec := &recorder{}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		received := time.Now()
		raw, err := httputil.DumpRequest(r, true)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		rec.mu.Lock()
		rec.reqs = append(rec.reqs, captured{raw, received})
		rec.mu.Unlock()
		w.Header().Set("x-amzn-RequestId", "00000000-0000-0000-0000-000000000000")
		if r.Header.Get("X-Amz-Target") != "" {
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			io.WriteString(w, `{"Tokens":[]}`)
			return
		}
		w.Header().Set("Content-Type", "text/xml")
		io.WriteString(w, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>`+
			`<Arn>`+userARN+`</Arn><UserId>AIDAEXAMPLE</UserId><Account>`+account+`</Account>`+
			`</GetCallerIdentityResult><ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata></GetCallerIdentityResponse>`)
	}))
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	rec.url = srv.URL
	return rec
}

// take returns the requests received so far and forgets them.
func (rec *recorder) take() []captured {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	got := rec.reqs
	rec.reqs = nil
	return got
}

// parseCaptured reads a captured request back as the server would see it.
func parseCaptured(t *testing.T, raw []byte) (*http.Request, []byte) {
	t.Helper()
	r, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(raw)))
	if err != nil {
		t.Fatalf("read captured request: %v\n%s", err, raw)
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	return r, body
}

// serviceOf returns the credential scope service a request is for.
func serviceOf(r *http.Request) string {
	if r.Header.Get("X-Amz-Target") != "" {
		return sigv4.ServiceLicenseManager
	}
	return sigv4.ServiceSTS
}

// dummyKeys are the keys of the test servers' credentials file.
func dummyKeys(t *testing.T) *auth.Keys {
	t.Helper()
	keys, err := auth.NewKeys(auth.Key{Profile: "license-manager", AccessKeyID: accessKeyID, SecretAccessKey: secretAccessKey, AccountID: account})
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// sigv4Client sends one ListTokens and one GetCallerIdentity to endpoint,
// signed with the dummy key, and fails the test unless both succeed.
type sigv4Client struct {
	name string
	tool string // for requireTool; "" for the in-process SDK
	call func(t *testing.T, endpoint string)
}

var sigv4Clients = []sigv4Client{
	{"awscli", "aws", func(t *testing.T, endpoint string) {
		env := clientEnv(t)
		r := run(t, env, t.TempDir(), "aws", "--endpoint-url", endpoint, "license-manager", "list-tokens")
		if r.code != 0 || !bytes.Contains(r.stdout, []byte(`"Tokens": []`)) {
			t.Errorf("aws license-manager list-tokens: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
		}
		r = run(t, env, t.TempDir(), "aws", "--endpoint-url", endpoint, "sts", "get-caller-identity", "--output", "text", "--query", "Arn")
		if r.code != 0 || strings.TrimSpace(string(r.stdout)) != userARN {
			t.Errorf("aws sts get-caller-identity: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
		}
	}},
	{"boto3", "boto3", func(t *testing.T, endpoint string) {
		var out struct {
			ListTokens        struct{ Reply *struct{ Tokens []any } }
			GetCallerIdentity struct {
				Reply *struct{ Arn, UserId, Account string }
			}
		}
		runPython(t, requireTool(t, "boto3"), "boto3_sigv4.py", &out, endpoint)
		if out.ListTokens.Reply == nil || len(out.ListTokens.Reply.Tokens) != 0 {
			t.Errorf("boto3 list_tokens: %+v", out.ListTokens)
		}
		if r := out.GetCallerIdentity.Reply; r == nil || r.Arn != userARN || r.Account != account {
			t.Errorf("boto3 get_caller_identity: %+v", out.GetCallerIdentity)
		}
	}},
	{"gosdk", "", func(t *testing.T, endpoint string) {
		creds := credentials.NewStaticCredentialsProvider(accessKeyID, secretAccessKey, "")
		lm := licensemanager.New(licensemanager.Options{
			Region: region, BaseEndpoint: aws.String(endpoint), Credentials: creds,
			HTTPClient: &http.Client{Transport: sdkTransport(t)},
		})
		out, err := lm.ListTokens(t.Context(), &licensemanager.ListTokensInput{})
		if err != nil || len(out.Tokens) != 0 {
			t.Errorf("ListTokens: %v, %+v", err, out)
		}
		st := sts.New(sts.Options{
			Region: region, BaseEndpoint: aws.String(endpoint), Credentials: creds,
			HTTPClient: &http.Client{Transport: sdkTransport(t)},
		})
		id, err := st.GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
		if err != nil || aws.ToString(id.Arn) != userARN || aws.ToString(id.Account) != account {
			t.Errorf("GetCallerIdentity: %v, %+v", err, id)
		}
	}},
}

// listeners are the addresses tests listen on: IPv4 and IPv6 loopback,
// each on a free port (never the scheme's default, which clients leave
// out of the host they sign).
var listeners = []struct{ name, addr string }{
	{"ipv4", "127.0.0.1:0"},
	{"ipv6", "[::1]:0"},
}

// requireListen skips a test where the machine cannot listen on addr (an
// IPv6 address where there is no ::1).
func requireListen(t *testing.T, addr string) {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("cannot listen on %s: %v", addr, err)
	}
	ln.Close()
}

// TestSigV4RealClientsRecorded captures the requests that the aws CLI,
// boto3 and aws-sdk-go-v2 sign, over IPv4 and IPv6 on non-default ports,
// and verifies each with the server's verifier at the moment it arrived.
// With LICENSE_MANAGER_UPDATE_SIGV4_VECTORS=1 it also writes them to
// internal/sigv4/testdata as fixed known-answer vectors.
func TestSigV4RealClientsRecorded(t *testing.T) {
	update := os.Getenv(updateVectorsEnv) == "1"
	for _, c := range sigv4Clients {
		for _, l := range listeners {
			t.Run(c.name+"/"+l.name, func(t *testing.T) {
				if c.tool != "" {
					requireTool(t, c.tool)
				}
				requireListen(t, l.addr)
				rec := startRecorder(t, l.addr)
				c.call(t, rec.url)
				reqs := rec.take()
				services := map[string]bool{}
				for _, cr := range reqs {
					r, body := parseCaptured(t, cr.raw)
					service := serviceOf(r)
					services[service] = true
					v := &sigv4.Verifier{Resolver: &auth.Resolver{Keys: dummyKeys(t)}, Now: func() time.Time { return cr.received }}
					p, err := v.Verify(t.Context(), r, body, service)
					if err != nil {
						t.Errorf("%s request to %s: %v\n%s", service, r.Host, err, cr.raw)
						continue
					}
					if p.Kind != auth.Account || p.AccountID != account || p.UserName != "license-manager" {
						t.Errorf("principal %+v", p)
					}
					// The host was signed with its port, as received.
					if _, port, err := net.SplitHostPort(r.Host); err != nil || port == "80" {
						t.Errorf("Host %q: want a non-default port", r.Host)
					}
					if !strings.Contains(r.Header.Get("Authorization"), "SignedHeaders=") || !strings.Contains(r.Header.Get("Authorization"), ";host;") &&
						!strings.Contains(r.Header.Get("Authorization"), "=host;") {
						t.Errorf("Authorization does not sign host: %s", r.Header.Get("Authorization"))
					}
					if update {
						writeVector(t, c.name+"-"+service+"-"+l.name, r, cr)
					}
				}
				if !services[sigv4.ServiceLicenseManager] || !services[sigv4.ServiceSTS] {
					t.Errorf("captured %d requests for %v, want License Manager and STS", len(reqs), services)
				}
			})
		}
	}
}

// writeVector saves a captured request as a vector of internal/sigv4.
func writeVector(t *testing.T, name string, r *http.Request, cr captured) {
	t.Helper()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.MarshalIndent(map[string]any{
		"client":            r.Header.Get("User-Agent"),
		"service":           serviceOf(r),
		"access_key_id":     accessKeyID,
		"secret_access_key": secretAccessKey,
		"received":          cr.received.UTC(),
		"request":           string(cr.raw),
	}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(root, "internal", "sigv4", "testdata", name+".json")
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s", path)
}

// TestSigV4RealClients runs each client against the server itself, over
// IPv4 and IPv6.
func TestSigV4RealClients(t *testing.T) {
	for _, l := range listeners {
		t.Run(l.name, func(t *testing.T) {
			requireListen(t, l.addr)
			logs := &syncBuffer{}
			ts := startServerWith(t, logs, l.addr, credentialsFile(profileKey{"license-manager", accessKeyID, secretAccessKey, account}))
			ts.logs = logs
			for _, c := range sigv4Clients {
				t.Run(c.name, func(t *testing.T) {
					if c.tool != "" {
						requireTool(t, c.tool)
					}
					c.call(t, ts.url)
				})
			}
			if !strings.Contains(logs.String(), `"auth":"account","account_id":"`+account+`"`) {
				t.Errorf("the log does not name the caller's account:\n%s", logs)
			}
			if strings.Contains(logs.String(), "Signature=") || strings.Contains(logs.String(), secretAccessKey) {
				t.Errorf("the log holds a signature or the secret:\n%s", logs)
			}
		})
	}
}

// lmReply is a License Manager reply.
type lmReply struct {
	status  int
	header  http.Header
	errType string
	message string
	body    []byte
}

// signer signs a request body-hash in place; nil sends it unsigned.
type signer func(t *testing.T, r *http.Request, body []byte)

// signWith signs as aws-sdk-go-v2 does, with key, for service, at when.
func signWith(id, secret, service string, when time.Time) signer {
	return func(t *testing.T, r *http.Request, body []byte) {
		sum := sha256.Sum256(body)
		creds := aws.Credentials{AccessKeyID: id, SecretAccessKey: secret}
		if err := v4.NewSigner().SignHTTP(t.Context(), creds, r, hex.EncodeToString(sum[:]), service, region, when); err != nil {
			t.Fatal(err)
		}
	}
}

// postLM sends a License Manager operation; after, if set, changes the
// request once it is signed.
func postLM(t *testing.T, ts *testServer, op, body string, sign signer, after func(*http.Request)) lmReply {
	t.Helper()
	r, err := http.NewRequestWithContext(t.Context(), http.MethodPost, ts.url+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/x-amz-json-1.1")
	r.Header.Set("X-Amz-Target", "AWSLicenseManager."+op)
	if sign != nil {
		sign(t, r, []byte(body))
	}
	if after != nil {
		after(r)
	}
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var e struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}
	json.Unmarshal(b, &e)
	return lmReply{resp.StatusCode, resp.Header, e.Type, e.Message, b}
}

// stsError is an STS ErrorResponse.
type stsError struct {
	Type, Code, Message string
}

// postSTS sends GetCallerIdentity.
func postSTS(t *testing.T, ts *testServer, sign signer) (int, stsError) {
	t.Helper()
	body := "Action=GetCallerIdentity&Version=2011-06-15"
	r, err := http.NewRequestWithContext(t.Context(), http.MethodPost, ts.url+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	if sign != nil {
		sign(t, r, []byte(body))
	}
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var e struct {
		Error stsError `xml:"Error"`
	}
	if resp.StatusCode != http.StatusOK {
		if err := xml.Unmarshal(b, &e); err != nil {
			t.Errorf("STS error reply is not XML: %v\n%s", err, b)
		}
	}
	return resp.StatusCode, e.Error
}

// TestSigV4Refusals: requests without a valid signature are refused with
// AWS's errors, and nothing happens.
func TestSigV4Refusals(t *testing.T) {
	ts := startServer(t)
	now := time.Now()
	good := signWith(accessKeyID, secretAccessKey, "license-manager", now)
	create := fmt.Sprintf(`{"LicenseArn":%q,"ClientToken":"ct-sigv4"}`, licL)
	for _, tc := range []struct {
		name     string
		op, body string
		sign     signer
		after    func(*http.Request)
		status   int
		errType  string
		message  string // prefix
	}{
		{"unsigned CreateToken", "CreateToken", create, nil, nil, 403, "MissingAuthenticationTokenException", sigv4.MsgMissingAuthentication},
		{"unsigned ListTokens", "ListTokens", `{}`, nil, nil, 403, "MissingAuthenticationTokenException", sigv4.MsgMissingAuthentication},
		{"unsigned DeleteToken", "DeleteToken", `{"TokenId":"0123456789abcdef0123456789abcdef"}`, nil, nil, 403, "MissingAuthenticationTokenException", sigv4.MsgMissingAuthentication},
		{"unknown key", "CreateToken", create, signWith("AKIAUNKNOWN000000000", secretAccessKey, "license-manager", now), nil,
			403, "UnrecognizedClientException", "The security token included in the request is invalid."},
		{"wrong secret", "CreateToken", create, signWith(accessKeyID, "not-the-secret", "license-manager", now), nil,
			403, "InvalidSignatureException", sigv4.MsgSignatureMismatch},
		{"signed for STS", "CreateToken", create, signWith(accessKeyID, secretAccessKey, "sts", now), nil,
			403, "InvalidSignatureException", "Credential should be scoped to correct service: 'license-manager'."},
		{"signed six minutes ago", "CreateToken", create, signWith(accessKeyID, secretAccessKey, "license-manager", now.Add(-6*time.Minute)), nil,
			403, "InvalidSignatureException", "Signature expired: "},
		{"signed six minutes ahead", "CreateToken", create, signWith(accessKeyID, secretAccessKey, "license-manager", now.Add(6*time.Minute)), nil,
			403, "InvalidSignatureException", "Signature not yet current: "},
		{"host changed in flight", "CreateToken", create, good, func(r *http.Request) { r.Host = strings.Replace(r.Host, "127.0.0.1", "localhost", 1) },
			403, "InvalidSignatureException", sigv4.MsgSignatureMismatch},
		{"operation changed in flight", "ListTokens", `{}`, good, func(r *http.Request) { r.Header.Set("X-Amz-Target", "AWSLicenseManager.CreateToken") },
			403, "InvalidSignatureException", sigv4.MsgSignatureMismatch},
		{"body changed in flight", "CreateToken", create, good, func(r *http.Request) {
			changed := strings.Replace(create, "ct-sigv4", "ct-sigv5", 1)
			r.Body = io.NopCloser(strings.NewReader(changed))
		}, 403, "InvalidSignatureException", sigv4.MsgSignatureMismatch},
		{"malformed Authorization", "CreateToken", create, nil, func(r *http.Request) { r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=x") },
			400, "IncompleteSignatureException", "Authorization header requires 'Signature' parameter."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := postLM(t, ts, tc.op, tc.body, tc.sign, tc.after)
			if r.status != tc.status || r.errType != tc.errType || !strings.HasPrefix(r.message, tc.message) {
				t.Errorf("reply %d %s %q, want %d %s %q…", r.status, r.errType, r.message, tc.status, tc.errType, tc.message)
			}
			if r.header.Get("Date") == "" || r.header.Get("x-amzn-RequestId") == "" {
				t.Errorf("reply lacks Date or x-amzn-RequestId: %v", r.header)
			}
		})
	}
	ts.requireNoTokens(t)

	// Four minutes either way is within the window.
	for _, d := range []time.Duration{-4 * time.Minute, 4 * time.Minute} {
		if r := postLM(t, ts, "ListTokens", `{}`, signWith(accessKeyID, secretAccessKey, "license-manager", now.Add(d)), nil); r.status != 200 {
			t.Errorf("signed %v from now: %d %s", d, r.status, r.body)
		}
	}

	// GetAccessToken needs no signature: the refresh token is the credential.
	if r := postLM(t, ts, "GetAccessToken", `{"Token":"not-a-jwt"}`, nil, nil); r.errType != "ValidationException" {
		t.Errorf("unsigned GetAccessToken: %d %s, want the token itself judged (ValidationException)", r.status, r.errType)
	}
	// ... but a signature it carries must be good.
	if r := postLM(t, ts, "GetAccessToken", `{"Token":"not-a-jwt"}`, signWith(accessKeyID, "wrong", "license-manager", now), nil); r.errType != "InvalidSignatureException" {
		t.Errorf("GetAccessToken with a bad signature: %d %s, want InvalidSignatureException", r.status, r.errType)
	}

	// STS: GetCallerIdentity is signed, with the scope "sts".
	for _, tc := range []struct {
		name   string
		sign   signer
		status int
		want   stsError
	}{
		{"unsigned", nil, 403, stsError{"Sender", "MissingAuthenticationToken", sigv4.MsgMissingAuthentication}},
		{"unknown key", signWith("AKIAUNKNOWN000000000", "x", "sts", now), 403, stsError{"Sender", "InvalidClientTokenId", sigv4.MsgUnrecognizedClient}},
		{"wrong secret", signWith(accessKeyID, "x", "sts", now), 403, stsError{"Sender", "SignatureDoesNotMatch", sigv4.MsgSignatureMismatch}},
		{"signed for License Manager", signWith(accessKeyID, secretAccessKey, "license-manager", now), 403,
			stsError{"Sender", "SignatureDoesNotMatch", "Credential should be scoped to correct service: 'sts'."}},
	} {
		if status, e := postSTS(t, ts, tc.sign); status != tc.status || e != tc.want {
			t.Errorf("STS %s: %d %+v, want %d %+v", tc.name, status, e, tc.status, tc.want)
		}
	}
	if status, _ := postSTS(t, ts, signWith(accessKeyID, secretAccessKey, "sts", now)); status != 200 {
		t.Errorf("signed GetCallerIdentity: %d", status)
	}

	logs := ts.logs.String()
	for _, secret := range []string{"Signature=", "AWS4-HMAC-SHA256", secretAccessKey} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log contains %q:\n%s", secret, logs)
		}
	}
	if !strings.Contains(logs, `"error_code":"MissingAuthenticationTokenException","auth_error":"no Authorization header"`) {
		t.Errorf("the log does not say why a request was refused:\n%s", logs)
	}
}

// TestSigV4RefusalsAWSCLI: the aws CLI's view of refused requests.
func TestSigV4RefusalsAWSCLI(t *testing.T) {
	requireTool(t, "aws")
	ts := startServer(t)
	env := clientEnv(t)
	r := run(t, env, t.TempDir(), "aws", "--endpoint-url", ts.url, "--no-sign-request", "license-manager", "create-token",
		"--license-arn", licL, "--client-token", "ct-unsigned")
	if r.code != awsServiceErrorExit || !bytes.Contains(r.stderr, []byte("An error occurred (MissingAuthenticationTokenException) when calling the CreateToken operation: Request is missing Authentication Token")) {
		t.Errorf("unsigned create-token: exit %d\nstderr:\n%s", r.code, r.stderr)
	}
	other := setEnv(setEnv(env, "AWS_ACCESS_KEY_ID", "AKIAUNKNOWN000000000"), "AWS_SECRET_ACCESS_KEY", "x")
	r = run(t, other, t.TempDir(), "aws", "--endpoint-url", ts.url, "license-manager", "list-tokens")
	if r.code != awsServiceErrorExit || !bytes.Contains(r.stderr, []byte("(UnrecognizedClientException) when calling the ListTokens operation: The security token included in the request is invalid.")) {
		t.Errorf("unknown key: exit %d\nstderr:\n%s", r.code, r.stderr)
	}
	wrong := setEnv(env, "AWS_SECRET_ACCESS_KEY", "not-the-secret")
	r = run(t, wrong, t.TempDir(), "aws", "--endpoint-url", ts.url, "sts", "get-caller-identity")
	if r.code != awsServiceErrorExit || !bytes.Contains(r.stderr, []byte("(SignatureDoesNotMatch) when calling the GetCallerIdentity operation: The request signature we calculated does not match")) {
		t.Errorf("wrong secret: exit %d\nstderr:\n%s", r.code, r.stderr)
	}
	ts.requireNoTokens(t)
}

// setEnv returns env with k set to v.
func setEnv(env []string, k, v string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, k+"=") {
			out = append(out, kv)
		}
	}
	return append(out, k+"="+v)
}

// TestSigV4AccountIsolation: with keys of two accounts in the credentials
// file, neither sees or changes the other's tokens.
func TestSigV4AccountIsolation(t *testing.T) {
	const (
		accountB = "210987654321"
		keyB     = "AKIABBBBBBBBBBBBBBBB"
		secretB  = "secret-of-b"
	)
	logs := &syncBuffer{}
	ts := startServerWith(t, logs, "127.0.0.1:0", credentialsFile(
		profileKey{"license-manager", accessKeyID, secretAccessKey, account},
		profileKey{"tenant-b", keyB, secretB, accountB},
	))
	ts.logs = logs
	a := newSDKClient(t, ts)
	b := newSDKClient(t, ts, func(o *licensemanager.Options) {
		o.Credentials = credentials.NewStaticCredentialsProvider(keyB, secretB, "")
	})
	ctx := t.Context()

	outA, err := a.CreateToken(ctx, &licensemanager.CreateTokenInput{LicenseArn: aws.String(licL), ClientToken: aws.String("same")})
	if err != nil {
		t.Fatal(err)
	}
	idA := aws.ToString(outA.TokenId)
	if c := unverifiedClaims(t, aws.ToString(outA.Token)); c.Sub != account {
		t.Errorf("A's token sub = %s", c.Sub)
	}

	listIDs := func(c *licensemanager.Client, ids ...string) map[string]string {
		t.Helper()
		out, err := c.ListTokens(ctx, &licensemanager.ListTokensInput{TokenIds: ids})
		if err != nil {
			t.Fatalf("ListTokens: %v", err)
		}
		got := map[string]string{}
		for _, tok := range out.Tokens {
			got[aws.ToString(tok.TokenId)] = aws.ToString(tok.Status)
		}
		return got
	}
	if got := listIDs(b); len(got) != 0 {
		t.Errorf("B lists %v", got)
	}
	if got := listIDs(b, idA); len(got) != 0 {
		t.Errorf("B lists A's token by id: %v", got)
	}
	if _, err := b.DeleteToken(ctx, &licensemanager.DeleteTokenInput{TokenId: aws.String(idA)}); flowErrorCode(err) != "ResourceNotFoundException" {
		t.Errorf("B deletes A's token: %v, want ResourceNotFoundException", err)
	}
	if got := listIDs(a); got[idA] != "AVAILABLE" || len(got) != 1 {
		t.Errorf("A lists %v, want its token AVAILABLE", got)
	}

	// The same client token is B's own: another token, for B's account.
	outB, err := b.CreateToken(ctx, &licensemanager.CreateTokenInput{LicenseArn: aws.String(licB), ClientToken: aws.String("same")})
	if err != nil {
		t.Fatal(err)
	}
	idB := aws.ToString(outB.TokenId)
	if idB == idA {
		t.Fatal("B's CreateToken with A's client token returned A's token")
	}
	if c := unverifiedClaims(t, aws.ToString(outB.Token)); c.Sub != accountB || c.AMR[len(c.AMR)-1] != "aws:license-manager:token-issuer-account-id:"+accountB {
		t.Errorf("B's token claims %+v", c)
	}
	if _, err := a.DeleteToken(ctx, &licensemanager.DeleteTokenInput{TokenId: aws.String(idB)}); flowErrorCode(err) != "ResourceNotFoundException" {
		t.Errorf("A deletes B's token: %v, want ResourceNotFoundException", err)
	}
	if got := listIDs(a); len(got) != 1 || got[idA] != "AVAILABLE" {
		t.Errorf("A lists %v", got)
	}
	if got := listIDs(b); len(got) != 1 || got[idB] != "AVAILABLE" {
		t.Errorf("B lists %v", got)
	}
	if _, err := b.DeleteToken(ctx, &licensemanager.DeleteTokenInput{TokenId: aws.String(idB)}); err != nil {
		t.Errorf("B deletes its token: %v", err)
	}
	if got := listIDs(a); got[idA] != "AVAILABLE" {
		t.Errorf("after B deleted its token, A lists %v", got)
	}

	// B may not embed A's roles: with no trust policies here, the token
	// would let B assume them.
	_, err = b.CreateToken(ctx, &licensemanager.CreateTokenInput{
		LicenseArn: aws.String(licL), RoleArns: []string{roleR1}, ClientToken: aws.String("a-role"),
	})
	if flowErrorCode(err) != "ValidationException" || !strings.Contains(err.Error(), "Member must be an IAM role in the calling account ("+accountB+")") {
		t.Errorf("B embeds A's role: %v, want a ValidationException naming the calling account", err)
	}

	id, err := flowSTS(t, ts, credentials.NewStaticCredentialsProvider(keyB, secretB, "")).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || aws.ToString(id.Account) != accountB || aws.ToString(id.Arn) != "arn:aws:iam::"+accountB+":user/tenant-b" {
		t.Errorf("B's GetCallerIdentity: %v %+v", err, id)
	}
	if !strings.Contains(logs.String(), `"account_id":"`+accountB+`"`) {
		t.Error("the log does not name account B")
	}
}

// serveProcess is `license-manager serve` running as a process.
type serveProcess struct {
	url  string
	logs *syncBuffer
	stop func() int // stops it and returns its exit code
}

// startServe runs the built binary's serve command with args and waits
// until it listens (or exits, which fails the test unless wantExit).
func startServe(t *testing.T, args ...string) *serveProcess {
	t.Helper()
	p, code := runServe(t, args...)
	if p == nil {
		t.Fatalf("license-manager serve %v exited with %d before listening", args, code)
	}
	return p
}

// runServe starts serve; it returns the process once it listens, or nil
// and the exit code if it exits first.
func runServe(t *testing.T, args ...string) (*serveProcess, int) {
	t.Helper()
	bin, err := buildLM()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, append([]string{"serve", "--log-format", "json", "--issuer", issuer}, args...)...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "LICENSE_MANAGER_") && !strings.HasPrefix(kv, "AWS_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	listening := make(chan string, 1)
	scanned := make(chan struct{})
	go func() {
		defer close(scanned)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			logs.Write(append(sc.Bytes(), '\n'))
			var line struct{ Msg, Addr string }
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "server listening" {
				listening <- line.Addr
			}
		}
	}()
	exited := make(chan int, 1)
	go func() {
		<-scanned
		cmd.Wait()
		exited <- cmd.ProcessState.ExitCode()
	}()
	var once sync.Once
	code := -1
	stop := func() int {
		once.Do(func() {
			cmd.Process.Signal(os.Interrupt)
			code = <-exited
		})
		return code
	}
	timer := time.NewTimer(clientTimeout)
	defer timer.Stop()
	select {
	case addr := <-listening:
		t.Cleanup(func() { stop() })
		host, port, _ := net.SplitHostPort(addr)
		if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
			host = "127.0.0.1"
		}
		return &serveProcess{url: "http://" + net.JoinHostPort(host, port), logs: logs, stop: stop}, 0
	case c := <-exited:
		t.Logf("serve log:\n%s", logs)
		return nil, c
	case <-timer.C:
		cmd.Process.Kill()
		t.Fatalf("license-manager serve did not listen within %v; log:\n%s", clientTimeout, logs)
	}
	return nil, -1
}

// credentialsEnv is the aws CLI's environment with a credentials file and
// profile instead of key variables.
func credentialsEnv(t *testing.T, file, profile string) []string {
	var env []string
	for _, kv := range clientEnv(t) {
		k, _, _ := strings.Cut(kv, "=")
		if k != "AWS_ACCESS_KEY_ID" && k != "AWS_SECRET_ACCESS_KEY" && k != "AWS_SHARED_CREDENTIALS_FILE" {
			env = append(env, kv)
		}
	}
	return append(env, "AWS_SHARED_CREDENTIALS_FILE="+file, "AWS_PROFILE="+profile)
}

// TestServeCredentialsFile: `license-manager serve` creates the
// credentials file on first start, and the aws CLI signs with it as it is.
func TestServeCredentialsFile(t *testing.T) {
	requireTool(t, "aws")
	dataDir := filepath.Join(t.TempDir(), "data")
	srv := startServe(t, "--data-dir", dataDir, "--listen", "127.0.0.1:0")
	credFile := filepath.Join(dataDir, "credentials")
	fi, err := os.Stat(credFile)
	if err != nil {
		t.Fatalf("no credentials file: %v\n%s", err, srv.logs)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("credentials file mode %v, want 0600", fi.Mode().Perm())
	}
	content, _ := os.ReadFile(credFile)
	keys, err := auth.LoadKeys(credFile)
	if err != nil || keys.Len() != 1 {
		t.Fatalf("credentials file: %v\n%s", err, content)
	}
	secret := ""
	for _, line := range strings.Split(string(content), "\n") {
		if v, ok := strings.CutPrefix(line, "aws_secret_access_key = "); ok {
			secret = v
		}
	}
	if secret == "" || strings.Contains(srv.logs.String(), secret) {
		t.Errorf("the secret is missing from the file or shown in the log:\n%s", srv.logs)
	}
	if !strings.Contains(srv.logs.String(), `"credentials_file":"`+credFile+`"`) {
		t.Errorf("the log does not name the credentials file:\n%s", srv.logs)
	}

	env := credentialsEnv(t, credFile, "license-manager")
	aws := func(env []string, args ...string) result {
		return run(t, env, t.TempDir(), append([]string{"aws", "--endpoint-url", srv.url}, args...)...)
	}
	// A fresh server has no license: create one as a user would.
	r := aws(env, "license-manager", "create-license", "--license-name", "Serve", "--product-name", "Serve",
		"--product-sku", "SKU-SERVE", "--issuer", "Name=Acme", "--home-region", region,
		"--validity", "Begin=2020-01-01T00:00:00Z", "--entitlements", "Name=Seats,Unit=Count,MaxCount=1",
		"--beneficiary", account, "--consumption-configuration", "RenewType=None", "--client-token", "cl-serve",
		"--query", "LicenseArn", "--output", "text")
	license := strings.TrimSpace(string(r.stdout))
	if r.code != 0 || !strings.HasPrefix(license, "arn:aws:license-manager::"+account+":license:l-") {
		t.Fatalf("create-license: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	r = aws(env, "license-manager", "create-token", "--license-arn", license, "--client-token", "ct-serve", "--query", "TokenId", "--output", "text")
	tokenID := strings.TrimSpace(string(r.stdout))
	if r.code != 0 || len(tokenID) != 32 {
		t.Fatalf("create-token: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	r = aws(env, "sts", "get-caller-identity", "--query", "Arn", "--output", "text")
	if r.code != 0 || strings.TrimSpace(string(r.stdout)) != userARN {
		t.Errorf("get-caller-identity: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	r = aws(env, "--no-sign-request", "license-manager", "list-tokens")
	if r.code != awsServiceErrorExit || !bytes.Contains(r.stderr, []byte("MissingAuthenticationTokenException")) {
		t.Errorf("unsigned list-tokens: exit %d\nstderr:\n%s", r.code, r.stderr)
	}
	if code := srv.stop(); code != 0 {
		t.Errorf("serve exited with %d", code)
	}

	// A restart keeps the file and its key; any address may be listened
	// on now that every request is authenticated.
	srv = startServe(t, "--data-dir", dataDir, "--listen", "0.0.0.0:0")
	if again, _ := os.ReadFile(credFile); !bytes.Equal(again, content) {
		t.Error("the restart rewrote the credentials file")
	}
	r = aws(env, "license-manager", "list-tokens", "--query", "Tokens[].TokenId", "--output", "text")
	if r.code != 0 || strings.TrimSpace(string(r.stdout)) != tokenID {
		t.Errorf("list-tokens after the restart: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	srv.stop()

	// --credentials names another file: its keys, and nothing is created.
	custom := filepath.Join(t.TempDir(), "keys.ini")
	if err := os.WriteFile(custom, []byte(credentialsFile(profileKey{"ops", "AKIACUSTOM0000000000", "custom-secret", "210987654321"})), 0o600); err != nil {
		t.Fatal(err)
	}
	otherDir := filepath.Join(t.TempDir(), "data")
	srv = startServe(t, "--data-dir", otherDir, "--listen", "127.0.0.1:0", "--credentials", custom)
	if _, err := os.Stat(filepath.Join(otherDir, "credentials")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("with --credentials, the data directory got a credentials file (%v)", err)
	}
	r = aws(credentialsEnv(t, custom, "ops"), "sts", "get-caller-identity", "--query", "Arn", "--output", "text")
	if r.code != 0 || strings.TrimSpace(string(r.stdout)) != "arn:aws:iam::210987654321:user/ops" {
		t.Errorf("get-caller-identity with --credentials: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	r = aws(env, "license-manager", "list-tokens")
	if r.code != awsServiceErrorExit || !bytes.Contains(r.stderr, []byte("UnrecognizedClientException")) {
		t.Errorf("the data directory's key against a server with --credentials: exit %d\nstderr:\n%s", r.code, r.stderr)
	}
	srv.stop()

	// A broken file stops the server at start, naming the line.
	if err := os.WriteFile(custom, []byte("[ops]\naws_access_key_id = AKIACUSTOM0000000000\nregion = us-east-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p, code := runServe(t, "--data-dir", otherDir, "--listen", "127.0.0.1:0", "--credentials", custom)
	if p != nil || code == 0 {
		t.Fatalf("serve with a broken credentials file: listening %v, exit %d", p != nil, code)
	}
	missing := filepath.Join(t.TempDir(), "absent")
	if p, code := runServe(t, "--data-dir", otherDir, "--listen", "127.0.0.1:0", "--credentials", missing); p != nil || code == 0 {
		t.Errorf("serve with a missing --credentials file: listening %v, exit %d", p != nil, code)
	}
}

// TestServeCredentialsErrorsNameTheLine checks the log of a server that
// refuses its credentials file.
func TestServeCredentialsErrorsNameTheLine(t *testing.T) {
	custom := filepath.Join(t.TempDir(), "keys.ini")
	if err := os.WriteFile(custom, []byte("[ops]\naws_access_key_id = AKIACUSTOM0000000000\nregion = us-east-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	bin, err := buildLM()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), clientTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, "serve", "--data-dir", t.TempDir(), "--listen", "127.0.0.1:0", "--credentials", custom).CombinedOutput()
	if err == nil {
		t.Fatalf("serve accepted a broken credentials file:\n%s", out)
	}
	for _, want := range []string{custom + ":3: unknown key region", custom + ":1: profile [ops] has no aws_secret_access_key", custom + ":1: profile [ops] has no aws_account_id"} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
