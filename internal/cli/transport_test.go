package cli

import (
	"bytes"
	"context"
	"encoding/pem"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCLI runs the command line with a clean environment holding only env.
func runCLI(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(context.Background(), args, Env{
		Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return env[k] },
	})
	return code, out.String(), errb.String()
}

// credentialEnv is an environment with dummy credentials and empty aws
// configuration files, so nothing from the machine leaks into a test.
func credentialEnv(t *testing.T) map[string]string {
	t.Helper()
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	// The SDK's config loader reads the process environment, not Env.
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": "AKIAEXAMPLE000000001", "AWS_SECRET_ACCESS_KEY": "example-secret",
		"AWS_REGION": "us-east-1", "AWS_CONFIG_FILE": empty, "AWS_SHARED_CREDENTIALS_FILE": empty,
		"AWS_PROFILE": "", "AWS_ENDPOINT_URL": "", "AWS_ENDPOINT_URL_LICENSE_MANAGER": "",
	} {
		t.Setenv(k, v)
	}
	return map[string]string{"AWS_MAX_ATTEMPTS": "1"}
}

const createTokenReply = `{"TokenId":"t1","TokenType":"REFRESH_TOKEN","Token":"x.y.z"}`

func tlsServer(t *testing.T) (*httptest.Server, string) {
	t.Helper()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		io.WriteString(w, createTokenReply)
	}))
	t.Cleanup(srv.Close)
	bundle := filepath.Join(t.TempDir(), "ca.pem")
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(bundle, certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	return srv, bundle
}

var createArgs = []string{"create-token", "--license-arn", "arn:aws:license-manager::123456789012:license:l-0123456789abcdef0123456789abcdef", "--client-token", "c1", "--query", "TokenId", "--output", "text"}

func TestTLSTrust(t *testing.T) {
	env := credentialEnv(t)
	srv, bundle := tlsServer(t)

	code, out, errOut := runCLI(t, env, append([]string{"--endpoint-url", srv.URL}, createArgs...)...)
	if code != ExitOther || out != "" || !strings.Contains(errOut, "SSL validation failed for "+srv.URL) {
		t.Errorf("untrusted certificate: exit %d, stdout %q, stderr %q; want 255 and an SSL validation message", code, out, errOut)
	}
	code, out, errOut = runCLI(t, env, append([]string{"--endpoint-url", srv.URL, "--ca-bundle", bundle}, createArgs...)...)
	if code != ExitOK || out != "t1\n" {
		t.Errorf("--ca-bundle: exit %d, stdout %q, stderr %q; want 0 and t1", code, out, errOut)
	}
	env["AWS_CA_BUNDLE"] = bundle
	code, out, errOut = runCLI(t, env, append([]string{"--endpoint-url", srv.URL}, createArgs...)...)
	if code != ExitOK || out != "t1\n" {
		t.Errorf("AWS_CA_BUNDLE: exit %d, stdout %q, stderr %q; want 0 and t1", code, out, errOut)
	}
	delete(env, "AWS_CA_BUNDLE")
	code, out, errOut = runCLI(t, env, append([]string{"--endpoint-url", srv.URL, "--no-verify-ssl"}, createArgs...)...)
	if code != ExitOK || out != "t1\n" {
		t.Errorf("--no-verify-ssl: exit %d, stdout %q, stderr %q; want 0 and t1", code, out, errOut)
	}
	code, _, errOut = runCLI(t, env, append([]string{"--endpoint-url", srv.URL, "--ca-bundle", filepath.Join(t.TempDir(), "missing.pem")}, createArgs...)...)
	if code != ExitConfig || !strings.Contains(errOut, "missing.pem") {
		t.Errorf("missing --ca-bundle: exit %d, stderr %q; want 253 naming the file", code, errOut)
	}
}

func TestReadTimeout(t *testing.T) {
	env := credentialEnv(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	// Accept connections and never answer.
	go func() {
		var held []net.Conn
		defer func() {
			for _, c := range held {
				c.Close()
			}
		}()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			held = append(held, c)
		}
	}()
	url := "http://" + ln.Addr().String()
	code, out, errOut := runCLI(t, env, append([]string{"--endpoint-url", url, "--cli-read-timeout", "0.2"}, createArgs...)...)
	if code != ExitOther || out != "" || !strings.Contains(errOut, "Read timeout on endpoint URL") {
		t.Errorf("exit %d, stdout %q, stderr %q; want 255 and a read timeout", code, out, errOut)
	}
}

func TestTransportOptionErrors(t *testing.T) {
	env := credentialEnv(t)
	for _, args := range [][]string{
		{"--cli-read-timeout", "soon"},
		{"--cli-connect-timeout", "-1"},
		{"--color", "sometimes"},
	} {
		code, out, errOut := runCLI(t, env, append(append([]string{"--endpoint-url", "http://127.0.0.1:9"}, args...), createArgs...)...)
		if code != ExitUsage || out != "" || !strings.Contains(errOut, args[0]) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 252 naming %s", args, code, out, errOut, args[0])
		}
	}
}
