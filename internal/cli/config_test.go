package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestUnknownProfile(t *testing.T) {
	env := credentialEnv(t)
	env["LICENSE_MANAGER_DATA_DIR"] = t.TempDir()
	code, out, errOut := runCLI(t, env, append([]string{"--profile", "nosuch"}, createArgs...)...)
	if code != ExitConfig || out != "" || strings.TrimSpace(errOut) != "The config profile (nosuch) could not be found" {
		t.Errorf("exit %d, stdout %q, stderr %q; want 253 and the aws CLI's message", code, out, errOut)
	}
}

// An explicitly empty --data-dir is a mistake (an unset variable), not a
// request for the default directory.
func TestEmptyDataDir(t *testing.T) {
	env := credentialEnv(t)
	env["HOME"] = t.TempDir()
	code, out, errOut := runCLI(t, env, append([]string{"--data-dir", ""}, createArgs...)...)
	if code != ExitConfig || out != "" || !strings.Contains(errOut, "data directory: empty") {
		t.Errorf("exit %d, stdout %q, stderr %q; want 253 saying the data directory is empty", code, out, errOut)
	}
}

func TestOutputFromConfigFile(t *testing.T) {
	env := credentialEnv(t)
	srv, bundle := tlsServer(t)
	cfg := filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(cfg, []byte("[default]\noutput = text\n\n[profile tabled]\noutput = table\nregion = eu-west-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env["AWS_CONFIG_FILE"] = cfg
	args := []string{"--endpoint-url", srv.URL, "--ca-bundle", bundle, "create-token",
		"--license-arn", "arn:aws:license-manager::123456789012:license:l-0123456789abcdef0123456789abcdef",
		"--client-token", "c1", "--query", "TokenType"}
	for _, tc := range []struct {
		name  string
		extra []string
		env   map[string]string
		want  string
	}{
		{"default profile", nil, nil, "REFRESH_TOKEN\n"},
		{"--output wins over the file", []string{"--output", "json"}, nil, "\"REFRESH_TOKEN\"\n"},
		{"AWS_DEFAULT_OUTPUT wins over the file", nil, map[string]string{"AWS_DEFAULT_OUTPUT": "json"}, "\"REFRESH_TOKEN\"\n"},
		{"AWS_PROFILE selects the section", nil, map[string]string{"AWS_PROFILE": "tabled"},
			// The aws CLI prints a scalar in table format as the title alone.
			"-------------\n|CreateToken|\n+-----------+\n"},
	} {
		e := map[string]string{}
		for k, v := range env {
			e[k] = v
		}
		for k, v := range tc.env {
			e[k] = v
		}
		code, out, errOut := runCLI(t, e, append(args, tc.extra...)...)
		if code != ExitOK || out != tc.want {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want %q", tc.name, code, out, errOut, tc.want)
		}
	}
}

func TestDefaultIssuer(t *testing.T) {
	const fallback = "http://127.0.0.1:8080"
	for listen, want := range map[string]string{
		"127.0.0.1:18080": "http://127.0.0.1:18080",
		"localhost:9000":  "http://localhost:9000",
		"0.0.0.0:8443":    "http://127.0.0.1:8443",
		":7000":           "http://127.0.0.1:7000",
		"[::1]:8080":      "http://[::1]:8080",
		"[::]:8080":       "http://127.0.0.1:8080",
		"127.0.0.1:0":     fallback,
	} {
		if got := defaultIssuer(listen, fallback); got != want {
			t.Errorf("defaultIssuer(%q) = %q, want %q", listen, got, want)
		}
	}
}
